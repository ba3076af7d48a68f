#!/usr/bin/env bash
# Sourced by scripts/test.sh: a throwaway PostgreSQL server on a free loopback port for the database tests
# (TestDatabases reads BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING). Installs PostgreSQL from
# Debian when it is missing. `stop_postgres` removes the server and its data.

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && echo "$dir"
}

start_postgres() {
  if [ -z "$(pg_bin)" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      log "installing PostgreSQL from Debian"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2 || true
    fi
  fi
  local bin
  bin="$(pg_bin)"
  if [ -z "$bin" ]; then
    log "PostgreSQL is not available: the PostgreSQL variants of the database tests will not run"
    return 0
  fi
  local major port runas=""
  major="$(basename "$(dirname "$bin")")"
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  PG_DATA="$(mktemp -d /tmp/privatelink-pg.XXXXXX)"
  # PostgreSQL refuses to run as root: run it as the postgres user when we are root.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DATA"
    runas="runuser -u postgres --"
  fi
  $runas "$bin/initdb" -D "$PG_DATA/data" -U postgres --auth=trust -E UTF8 >/dev/null
  $runas "$bin/pg_ctl" -D "$PG_DATA/data" -l "$PG_DATA/log" -w -o "-k $PG_DATA -h 127.0.0.1 -p $port" start >/dev/null
  PG_CTL="$runas $bin/pg_ctl"
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:$port"
  export PRIVATELINK_TEST_POSTGRES_MAJOR="$major"
  log "PostgreSQL $major on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${PG_DATA:-}" ] && [ -d "$PG_DATA/data" ]; then
    $PG_CTL -D "$PG_DATA/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DATA"
  fi
}
