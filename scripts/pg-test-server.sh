#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the test suite and print its URL.
#   eval "$(scripts/pg-test-server.sh start)"   -> exports WIREDESK_TEST_POSTGRES_URL
#   scripts/pg-test-server.sh status   -> exit 0 while it runs
#   scripts/pg-test-server.sh stop
# Uses Debian's postgresql packages; runs the server as the 'postgres' user when started as root.
set -euo pipefail
DATA=${WIREDESK_PG_DATA:-/tmp/wiredesk-pg}
PORT=${WIREDESK_PG_PORT:-54329}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-start}" in
  start)
    if [ ! -s "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
      as_owner "$BIN/initdb" -D "$DATA" -U wiredesk --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w start \
        -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA -c fsync=off -c max_connections=200" >/dev/null
    fi
    echo "export WIREDESK_TEST_POSTGRES_URL=postgresql+psycopg://wiredesk@127.0.0.1:$PORT/postgres"
    ;;
  status)
    as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
    ;;
  stop)
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
