# Tidings: the two commands of the README.
#   make demo   set up .venv, code the bundled sample corpus into ./tidings.db, print a summary
#   make test   set up .venv and the system services, run ruff and the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DB     ?= tidings.db

.PHONY: demo test setup system lint bench lock clean train

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Pinned by version and hash (requirements.lock, made by `make lock`), then the package itself.
$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/tidings ingest sample/articles --db $(DB)
	$(BIN)/tidings summary --db $(DB)

# PostgreSQL and Chromium from Debian's packages, started for the tests that need them.
system:
	bash scripts/setup_system.sh

test: setup system
	$(BIN)/ruff check tidings tests bench tools fuzz
	. ./.test-env 2>/dev/null; $(BIN)/python -m pytest -q -p no:cacheprovider

lint: setup
	$(BIN)/ruff check tidings tests bench tools fuzz

# The decide stage's model, from the gold's train split (chosen on dev); deterministic.
train: setup
	$(BIN)/tidings train tests/gold -o tidings/data/model/scorer.json

bench: setup
	$(BIN)/python bench/bench_coding.py

lock: $(BIN)/python
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile -q --extra test --generate-hashes --strip-extras --allow-unsafe \
	  -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .test-env
