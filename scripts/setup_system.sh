#!/usr/bin/env bash
# Install and start what the test suite needs from Debian's packages: PostgreSQL (started
# as a throwaway cluster on loopback) and Chromium (driven headless by Playwright).
# Writes .test-env with TIDINGS_TEST_PG for `make test`. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup_system: need ${need[*]} (Debian packages) and cannot install them as $(id -un)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash scripts/start_postgres.sh > .test-env
cat .test-env
