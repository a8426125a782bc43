#!/usr/bin/env bash
# The repository stands alone: clone it into an empty temporary folder (nothing beside it: none
# of the material that sits next to our own checkouts), run the README's two commands there,
# then build the sdist and wheel, install the wheel with the runtime lock into a fresh venv
# outside the clone, and run it from another working directory: `tidings --version` and
# `tidings code` on the seed article.
#
#   bash scripts/fresh_clone_check.sh        # checks the committed HEAD, not the work tree
#
# CI reaches it through `make test` (CI=true); the nested `make test` in the clone runs with
# TIDINGS_FRESH_CLONE=1, which makes it test in place instead of cloning again. Each step
# prints its wall time. KEEP_FRESH_CLONE=1 keeps the temporary folder for a look afterwards.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
sha=$(git -C "$src" rev-parse HEAD)
work=$(mktemp -d "${TMPDIR:-/tmp}/tidings-fresh.XXXXXX")
chmod 755 "$work"  # scripts/start_postgres.sh runs psql as postgres from inside the clone
clone="$work/tidings"
if [ "${KEEP_FRESH_CLONE:-}" != 1 ]; then
  trap 'rm -rf "$work"' EXIT
fi
start=$SECONDS
step_start=$SECONDS

step_done() {
  if [ -n "${current:-}" ]; then
    echo "== fresh-clone: $current: done in $((SECONDS - step_start)) s"
  fi
}

step() {  # step NAME: close the previous step with its time, announce this one
  step_done
  current=$1
  step_start=$SECONDS
  echo "== fresh-clone: $current"
}

step "clone $sha into $clone"
git clone --quiet --no-checkout "$src" "$clone"
git -C "$clone" checkout --quiet "$sha"
if [ "$(ls -A "$work")" != tidings ]; then
  echo "fresh-clone: $work holds more than the clone" >&2
  exit 1
fi

step "make demo (README command 1)"
make -C "$clone" demo

step "python -m build (sdist, then the wheel from it)"
"$clone/.venv/bin/python" -m build --quiet --outdir "$work/dist" "$clone"
wheel=$(ls "$work"/dist/tidings-*.whl)
"$clone/.venv/bin/python" - "$wheel" <<'EOF'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
data = [n for n in names if n.startswith("tidings/data/")]
licences = [n.split("/licenses/", 1)[1] for n in names if "/licenses/" in n]
print(f"{sys.argv[1].rsplit('/', 1)[-1]}: {len(names)} files, {len(data)} under tidings/data, "
      f"licence files: {', '.join(licences)}")
EOF

step "fresh venv outside the clone: runtime lock with the venv's own pip, then the wheel"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" --version
"$work/venv/bin/pip" install -q --require-hashes -r "$clone/requirements.lock"
"$work/venv/bin/pip" install -q --no-deps "$wheel"
"$work/venv/bin/pip" check

step "the installed wheel, run from another working directory"
mkdir "$work/elsewhere"
cp "$clone/sample/articles/seed-rodong-2020-04-23.txt" "$work/elsewhere/"
(
  cd "$work/elsewhere"
  "$work/venv/bin/python" -c 'import tidings, sys; sys.exit(not tidings.__file__.startswith(sys.prefix))'
  "$work/venv/bin/tidings" --version
  "$work/venv/bin/tidings" code seed-rodong-2020-04-23.txt --format table | tee coded.txt
  grep -q "CONSULT" coded.txt
)

step "make test (README command 2) in the clone"
TIDINGS_FRESH_CLONE=1 make -C "$clone" test

step_done
echo "== fresh-clone: all steps passed in $((SECONDS - start)) s"
