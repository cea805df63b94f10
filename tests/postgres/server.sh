#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests/postgres, in a folder of its own.
#
#   url=$(tests/postgres/server.sh start DIR)   # prints a server URL for KANBAN_TEST_POSTGRES_URL
#   tests/postgres/server.sh stop DIR           # stops the server and removes DIR
#
# The server listens on 127.0.0.1 (a free port) and on a Unix socket inside DIR only, and
# trusts nobody: the role kanban/kanban (may create databases) logs in with its password.
# Its default collation is ICU "en" where initdb offers it, as on a typical server, so the
# tests see that ranks still sort byte-wise. Durability is off: the data is thrown away.
# As root, the server runs as the postgres user (initdb refuses root).
set -euo pipefail

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    echo "server.sh: PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2
    exit 1
  fi
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local dir=$1 bin port locale=()
  bin=$(bindir)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
  fi
  if "$bin/initdb" --help | grep -q -- --locale-provider; then
    locale=(--locale-provider=icu --icu-locale=en --locale=C.UTF-8)
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --encoding=UTF8 "${locale[@]}" \
    --auth-local=peer --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # A free port: the one the kernel gives a socket bound to port 0.
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
  local options="-k $dir -c listen_addresses=127.0.0.1 -p $port"
  options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o "$options" \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE kanban LOGIN CREATEDB PASSWORD 'kanban'" >/dev/null
  echo "postgresql+psycopg://kanban:kanban@127.0.0.1:$port/postgres"
}

stop() {
  local dir=$1 bin
  bin=$(bindir)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: server.sh start DIR}" ;;
  stop) stop "${2:?usage: server.sh stop DIR}" ;;
  *) echo "usage: server.sh start|stop DIR" >&2; exit 2 ;;
esac
