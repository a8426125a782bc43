# Tidings: the two commands of the README.
#   make demo   set up .venv, code the bundled sample corpus into ./tidings.db, print a summary
#   make test   set up .venv and the system services, run ruff and the whole test suite
#               (on CI: in a fresh clone with nothing beside it; see fresh-clone-check)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DB     ?= tidings.db

.PHONY: demo test fresh-clone-check setup system lint bench lock clean train

# The venv's own pip (23.2 on Python 3.11) installs the locks: they must not need a newer one.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Pinned by version and hash (requirements-dev.lock: the runtime lock plus what tests and tools
# use; made by `make lock`), then the package itself.
$(VENV)/.installed: $(BIN)/python requirements-dev.lock pyproject.toml
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/tidings ingest sample/articles --db $(DB)
	$(BIN)/tidings summary --db $(DB)

# PostgreSQL and Chromium from Debian's packages, started for the tests that need them.
system:
	bash scripts/setup_system.sh

# On CI (CI=true) `make test` proves the repository stands alone: scripts/fresh_clone_check.sh
# clones it into an empty folder and runs `make demo` and `make test` there, then installs the
# built wheel outside it. That nested run has TIDINGS_FRESH_CLONE=1 and tests in place, so the
# suite runs once per CI run, in the clone that has nothing beside it.
ifeq ($(CI)$(TIDINGS_FRESH_CLONE),true)
test: fresh-clone-check
else
test: setup system
	$(BIN)/ruff check tidings tests bench tools fuzz
	. ./.test-env 2>/dev/null; $(BIN)/python -m pytest -q -p no:cacheprovider
endif

fresh-clone-check:
	bash scripts/fresh_clone_check.sh

lint: setup
	$(BIN)/ruff check tidings tests bench tools fuzz

# The decide stage's model, from the gold's train split (chosen on dev); deterministic.
train: setup
	$(BIN)/tidings train tests/gold tests/gold/external -o tidings/data/model/scorer.json

bench: setup
	$(BIN)/python bench/bench_coding.py

# requirements.lock: what the package needs at run time; requirements-dev.lock: that (same
# versions: it is compiled under the runtime lock) plus the test extra. A pinned pip-compile in
# a venv of its own; a rerun keeps every pin that still fits pyproject.toml, so it changes
# nothing until pyproject.toml does. tools/lock_extras.py makes the locks installable by pip
# 23.2 (a fresh venv's), which needs dependencies asked for with extras pinned as such.
LOCK_VENV  = .lock-venv
LOCK_TOOLS = pip==26.3 pip-tools==7.7.0
LOCK_FLAGS = -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
             --no-emit-find-links

lock:
	test -x $(LOCK_VENV)/bin/pip-compile || \
	  { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install -q $(LOCK_TOOLS); }
	CUSTOM_COMPILE_COMMAND="make lock" \
	  $(LOCK_VENV)/bin/pip-compile $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" \
	  $(LOCK_VENV)/bin/pip-compile $(LOCK_FLAGS) --extra test -c requirements.lock \
	  -o requirements-dev.lock pyproject.toml
	for lock in requirements.lock requirements-dev.lock; do \
	  $(LOCK_VENV)/bin/pip install -q --dry-run --ignore-installed \
	    --report $(LOCK_VENV)/report.json -r $$lock && \
	  $(LOCK_VENV)/bin/python tools/lock_extras.py $(LOCK_VENV)/report.json $$lock || exit 1; \
	done

clean:
	rm -rf $(VENV) $(LOCK_VENV) $(DB) $(DB)-wal $(DB)-shm .test-env
