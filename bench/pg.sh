#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the benchmark, in var/bench-pg, listening on 127.0.0.1 only.
#
#   bench/pg.sh start         initialise (first time) and start the cluster; idempotent
#   bench/pg.sh stop          stop it (pg_ctl stop -m fast)
#   bench/pg.sh status        say whether it runs
#   bench/pg.sh url [small|smoke]   print the DATABASE_URL of the full (or small, or smoke) bench database
#   bench/pg.sh psql [small|smoke]  open psql on it
#   bench/pg.sh destroy       stop it and delete var/bench-pg
#
# initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user and
# the data directory belongs to postgres. Settings trade durability for load speed
# (fsync off): this cluster holds generated data only and is rebuilt with `make bench-data`.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=${BENCH_PG_BIN:-/usr/lib/postgresql/15/bin}
DATA=${BENCH_PG_DIR:-$ROOT/var/bench-pg}
PORT=${BENCH_PG_PORT:-55432}
DB_USER=kizuna
DB_PASSWORD=kizuna-bench
DB_FULL=kizuna_bench
DB_SMALL=kizuna_bench_small
DB_SMOKE=kizuna_bench_smoke

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

db_name() {
  case "${1:-}" in
    "" | full) echo "$DB_FULL" ;;
    small) echo "$DB_SMALL" ;;
    smoke) echo "$DB_SMOKE" ;;
    *) echo "unknown database '$1' (use: full, small or smoke)" >&2; exit 2 ;;
  esac
}

url() {
  echo "postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$(db_name "${1:-}")"
}

running() {
  [ -f "$DATA/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

psql_admin() {
  as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DATA" -p "$PORT" -U postgres -d postgres "$@"
}

init_cluster() {
  echo "bench-pg: initialising a new cluster in $DATA"
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  chmod 700 "$DATA"
  as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$DATA.initdb.log" 2>&1 || {
    cat "$DATA.initdb.log" >&2
    exit 1
  }
  as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# --- Kizuna benchmark (bench/pg.sh) ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
max_connections = 50
shared_buffers = 1GB
effective_cache_size = 8GB
work_mem = 32MB
maintenance_work_mem = 1GB
max_wal_size = 8GB
checkpoint_timeout = 30min
wal_level = minimal
max_wal_senders = 0
# Generated data only: durability is not needed, load speed is.
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
}

start() {
  if running; then
    echo "bench-pg: already running on 127.0.0.1:$PORT"
  else
    [ -f "$DATA/PG_VERSION" ] || init_cluster
    as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >/dev/null
    echo "bench-pg: started on 127.0.0.1:$PORT (pid $(head -1 "$DATA/postmaster.pid"))"
  fi
  psql_admin <<EOF
SELECT 'CREATE ROLE $DB_USER LOGIN PASSWORD ''$DB_PASSWORD'''
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER') \gexec
SELECT 'CREATE DATABASE $DB_FULL OWNER $DB_USER'
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB_FULL') \gexec
SELECT 'CREATE DATABASE $DB_SMALL OWNER $DB_USER'
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB_SMALL') \gexec
SELECT 'CREATE DATABASE $DB_SMOKE OWNER $DB_USER'
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB_SMOKE') \gexec
EOF
}

stop() {
  if running; then
    as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    echo "bench-pg: stopped"
  else
    echo "bench-pg: not running"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running; then echo "bench-pg: running on 127.0.0.1:$PORT, data in $DATA"; else echo "bench-pg: not running"; exit 3; fi
    ;;
  url) url "${2:-}" ;;
  psql) exec env PGPASSWORD="$DB_PASSWORD" "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$(db_name "${2:-}")" ;;
  destroy)
    stop
    rm -rf "$DATA" "$DATA.initdb.log"
    echo "bench-pg: deleted $DATA"
    ;;
  *)
    echo "usage: bench/pg.sh start|stop|status|url [small|smoke]|psql [small|smoke]|destroy" >&2
    exit 2
    ;;
esac
