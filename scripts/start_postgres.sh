#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the store tests and print the line that points
# the tests at it:   eval "$(scripts/start_postgres.sh)"
#
# Why a script: CI and developers need the same disposable server (trust auth, no fsync,
# 127.0.0.1 only) without touching any system cluster. Idempotent: when the cluster in
# $TIDINGS_PG_DIR is already running it only prints the export line again.
# Installs Debian's postgresql package first when no server binaries exist (needs root).
# Stop it with:  scripts/start_postgres.sh stop
set -euo pipefail

PGDIR="${TIDINGS_PG_DIR:-/tmp/tidings-pg}"
DATA="$PGDIR/data"
SOCK="$PGDIR/sock"
DBNAME="${TIDINGS_PG_DB:-tidings_test}"

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

PGBIN="$(find_bin || true)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "start_postgres.sh: PostgreSQL is not installed and we are not root;" \
         "run: apt-get update && apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "start_postgres.sh: installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  PGBIN="$(find_bin)"
fi

# The server refuses to run as root: run its tools as the postgres user when we are root.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PGDIR" postgres
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

if [ "${1:-}" = "stop" ]; then
  if [ -f "$DATA/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
  fi
  exit 0
fi

mkdir -p "$PGDIR" "$SOCK"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$PGDIR" "$SOCK"
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale \
    >"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; exit 1; }
fi

if as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  # Already running: the port is line 4 of postmaster.pid.
  PORT="$(sed -n 4p "$DATA/postmaster.pid")"
else
  PORT="${TIDINGS_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$PGDIR/server.log" -w -t 60 \
    -o "-p $PORT -k $SOCK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { cat "$PGDIR/server.log" >&2; exit 1; }
fi

exists="$(as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")"
if [ "$exists" != "1" ]; then
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DBNAME" >&2
fi

echo "export TIDINGS_TEST_PG=postgresql://postgres@127.0.0.1:$PORT/$DBNAME"
