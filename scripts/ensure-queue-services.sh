#!/usr/bin/env bash
# Makes sure Debian's Redis and PostgreSQL are installed for `npm run test:queue` (n8n in queue
# mode: a main and two workers sharing a Redis queue and a Postgres database). Prints two lines
# on stdout, progress on stderr:
#   REDIS_SERVER=<path of redis-server>
#   PG_BIN=<directory holding initdb, postgres, pg_ctl and psql>
# Installs the packages with apt-get when missing and this shell may. No service of the packages
# is started or left running (scripts/lib/apt.sh forbids it while it installs): the test starts
# its own redis-server and postgres on random loopback ports in a temporary folder and stops them.
# REDIS_SERVER_PATH / PG_BIN_DIR point at other builds instead.
set -euo pipefail
log() { printf '[queue-services] %s\n' "$*" >&2; }
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"

find_redis() { local r=${REDIS_SERVER_PATH:-/usr/bin/redis-server}; [ -x "$r" ] && echo "$r"; }
# Debian keeps each PostgreSQL major under /usr/lib/postgresql/<major>/bin; the newest one wins.
find_pg() {
  if [ -n "${PG_BIN_DIR:-}" ]; then [ -x "$PG_BIN_DIR/postgres" ] && echo "$PG_BIN_DIR"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] && [ -x "$dir/psql" ] && echo "$dir"
}

missing=()
find_redis >/dev/null || { [ -n "${REDIS_SERVER_PATH:-}" ] && { log "REDIS_SERVER_PATH=$REDIS_SERVER_PATH is not an executable"; exit 1; }; missing+=(redis-server); }
# bookworm's `postgresql` is PostgreSQL 15 (the only major Debian 12 has); psql comes with it.
find_pg >/dev/null || { [ -n "${PG_BIN_DIR:-}" ] && { log "PG_BIN_DIR=$PG_BIN_DIR has no postgres"; exit 1; }; missing+=(postgresql); }

if [ ${#missing[@]} -gt 0 ]; then
  t0=$SECONDS
  log "installing Debian's ${missing[*]} (apt-get; about a minute) ..."
  apt_install queue-services "${missing[@]}"
  log "installed in $((SECONDS - t0)) s"
fi

redis=$(find_redis) || { log "apt-get finished but redis-server is missing"; exit 1; }
pg=$(find_pg) || { log "apt-get finished but no /usr/lib/postgresql/*/bin/postgres"; exit 1; }
log "$("$redis" --version | cut -d' ' -f1-3), $("$pg/postgres" --version)"
echo "REDIS_SERVER=$redis"
echo "PG_BIN=$pg"
