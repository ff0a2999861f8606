#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the test suite.
#   postgres.sh start PORT   prints PGROOT=… and DATABASE_URL=…
#   postgres.sh stop PGROOT
# and, for tests of a database outage, on a cluster of the test's own:
#   postgres.sh restart PGROOT        pg_ctl restart -m fast
#   postgres.sh halt PGROOT           stops the server, keeps the cluster
#   postgres.sh resume PGROOT PORT    starts it again
# PostgreSQL refuses to run as root, so as root it runs as the 'postgres' user.
set -euo pipefail
PGBIN="$(dirname "$(readlink -f "$(command -v pg_ctl || echo /usr/lib/postgresql/15/bin/pg_ctl)")")"
if [ ! -x "$PGBIN/pg_ctl" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql), and PFORTE_TEST_DATABASE_URL is not set" >&2
  exit 1
fi
as_db_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
run_server() {
  as_db_user "$PGBIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $2 -k $1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
}
case "$1" in
  start)
    PORT="$2"
    PGROOT="$(mktemp -d /tmp/pforte-pg.XXXXXX)"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
      chown postgres:postgres "$PGROOT"
    fi
    chmod 700 "$PGROOT"
    as_db_user "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --no-locale >"$PGROOT/initdb.log"
    run_server "$PGROOT" "$PORT"
    echo "PGROOT=$PGROOT"
    echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    PGROOT="$2"
    as_db_user "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate -w stop >/dev/null || true
    rm -rf "$PGROOT"
    ;;
  restart)
    as_db_user "$PGBIN/pg_ctl" -D "$2/data" -l "$2/server.log" -m fast -w -t 30 restart >/dev/null
    ;;
  halt)
    as_db_user "$PGBIN/pg_ctl" -D "$2/data" -m fast -w -t 30 stop >/dev/null
    ;;
  resume)
    run_server "$2" "$3"
    ;;
  *)
    echo "usage: postgres.sh start PORT | stop PGROOT | restart PGROOT | halt PGROOT | resume PGROOT PORT" >&2
    exit 2
    ;;
esac
