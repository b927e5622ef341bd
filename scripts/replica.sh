#!/usr/bin/env bash
# A real streaming replica of the test PostgreSQL, for the replica and failover tests
# (bangfu/core/tests/test_replica_standby.py). Uses the server's own Debian binaries
# (/usr/lib/postgresql/<major>/bin): pg_basebackup -R, then a hot standby in a temporary directory.
#
#   scripts/replica.sh start    → prints the standby's URL (postgres://user@127.0.0.1:PORT/); idempotent:
#                                 a running standby is kept, a stopped one started, a promoted or broken
#                                 one rebuilt
#   scripts/replica.sh stop     → fast stop (kept on disk; `start` brings it back)
#   scripts/replica.sh promote  → failover: the standby becomes a primary
#   scripts/replica.sh remove   → stop and delete it
#   scripts/replica.sh status
#
# Environment: BANGFU_TEST_PG_URL (primary, default postgres://postgres@127.0.0.1:5432/test),
# BANGFU_TEST_REPLICA_PORT (default 5433), BANGFU_TEST_REPLICA_DIR (default /tmp/bangfu-replica-PORT).
# As root, the server runs as the postgres OS user (PostgreSQL refuses root). The primary must accept
# replication connections from 127.0.0.1: when it does not and its pg_hba.conf is writable here (a
# test machine), one line is added (`host replication all 127.0.0.1/32 trust`) and the configuration
# reloaded; otherwise the script says what to add.
set -euo pipefail

PRIMARY=${BANGFU_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}
PORT=${BANGFU_TEST_REPLICA_PORT:-5433}
DIR=${BANGFU_TEST_REPLICA_DIR:-/tmp/bangfu-replica-$PORT}
DATA=$DIR/data

# host, port and user of the primary, from its URL
rest=${PRIMARY#*://}
auth=${rest%%@*}; [ "$auth" = "$rest" ] && auth=""
hostpart=${rest#*@}; hostpart=${hostpart%%/*}
P_USER=${auth%%:*}; P_USER=${P_USER:-postgres}
P_HOST=${hostpart%%:*}
P_PORT=${hostpart##*:}; [ "$P_PORT" = "$hostpart" ] && P_PORT=5432

say() { echo "replica: $*" >&2; }
die() { say "$*"; exit 1; }

psql_primary() { psql -X -At -h "$P_HOST" -p "$P_PORT" -U "$P_USER" -d postgres -c "$1"; }
psql_standby() { psql -X -At -h 127.0.0.1 -p "$PORT" -U "$P_USER" -d postgres -c "$1" 2>/dev/null; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bindir() {
  local major
  major=$(psql_primary "SHOW server_version_num") || die "the primary at $P_HOST:$P_PORT does not answer ($PRIMARY)"
  major=$((major / 10000))
  local dir=/usr/lib/postgresql/$major/bin
  [ -x "$dir/pg_basebackup" ] || die "no PostgreSQL $major binaries in $dir (Debian: apt-get install postgresql-$major)"
  echo "$dir"
}

running() { [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

allow_replication() {
  if psql -X -At "host=$P_HOST port=$P_PORT user=$P_USER replication=true dbname=postgres" -c "IDENTIFY_SYSTEM" \
    >/dev/null 2>&1; then
    return 0
  fi
  local hba
  hba=$(psql_primary "SHOW hba_file")
  local line="host replication all 127.0.0.1/32 trust"
  if [ "$P_HOST" = 127.0.0.1 ] && [ -w "$hba" ]; then
    if ! grep -qxF "$line" "$hba"; then
      say "allowing local replication connections in $hba"
      [ -z "$(tail -c1 "$hba")" ] || echo >>"$hba"
      echo "$line" >>"$hba"
    fi
    psql_primary "SELECT pg_reload_conf()" >/dev/null
    sleep 1
    psql -X -At "host=$P_HOST port=$P_PORT user=$P_USER replication=true dbname=postgres" -c "IDENTIFY_SYSTEM" \
      >/dev/null 2>&1 && return 0
  fi
  die "the primary refuses replication connections: add '$line' (or the same for your network) to $hba and reload"
}

build() {
  allow_replication
  [ "$(psql_primary "SHOW wal_level")" != minimal ] || die "the primary has wal_level=minimal; set wal_level=replica and restart it"
  as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
  chmod 700 "$DIR"
  say "copying the primary ($P_HOST:$P_PORT) with pg_basebackup"
  as_pg "$BIN/pg_basebackup" -h "$P_HOST" -p "$P_PORT" -U "$P_USER" -D "$DATA" -R -X stream -c fast
  # A standby needs at least the primary's values of these
  local conns workers senders prepared locks
  conns=$(psql_primary "SHOW max_connections"); workers=$(psql_primary "SHOW max_worker_processes")
  senders=$(psql_primary "SHOW max_wal_senders"); prepared=$(psql_primary "SHOW max_prepared_transactions")
  locks=$(psql_primary "SHOW max_locks_per_transaction")
  as_pg tee "$DATA/postgresql.conf" >/dev/null <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
hot_standby = on
max_connections = $conns
max_worker_processes = $workers
max_wal_senders = $senders
max_prepared_transactions = $prepared
max_locks_per_transaction = $locks
shared_buffers = 32MB
fsync = off
logging_collector = off
EOF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n' \
    | as_pg tee "$DATA/pg_hba.conf" >/dev/null
  as_pg touch "$DATA/pg_ident.conf"
}

start_server() {
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 120 start >/dev/null \
    || { tail -20 "$DIR/server.log" >&2 || true; die "the standby did not start (log: $DIR/server.log)"; }
  for _ in $(seq 1 120); do
    [ "$(psql_standby "SELECT pg_is_in_recovery()")" = t ] && return 0
    sleep 1
  done
  die "the standby on port $PORT does not answer as a standby"
}

# A standby that runs but cannot follow the primary (it was stopped while the primary recycled the WAL it
# needs: no replication slot is kept, so a forgotten standby never fills the primary's disk) is rebuilt.
following() {
  local n=0
  for _ in $(seq 1 20); do
    if tail -n 20 "$DIR/server.log" 2>/dev/null | grep -q "has already been removed"; then return 1; fi
    if [ "$(psql_standby "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")" = 1 ]; then
      n=$((n + 1))
      [ "$n" -ge 3 ] && return 0
    else
      n=0
    fi
    sleep 1
  done
  return 1
}

cmd=${1:-status}
BIN=$(bindir)
case "$cmd" in
  start)
    if running && [ "$(psql_standby "SELECT pg_is_in_recovery()")" = t ] && following; then
      :
    elif [ -f "$DATA/standby.signal" ] && ! running && (start_server) 2>/dev/null && following; then
      :
    else
      if ss -ltn "sport = :$PORT" | grep -q LISTEN && ! running; then
        die "port $PORT is taken by another server; set BANGFU_TEST_REPLICA_PORT"
      fi
      build
      start_server
    fi
    echo "postgres://$P_USER@127.0.0.1:$PORT/"
    ;;
  stop)
    if running; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
    ;;
  promote)
    running || die "no standby running on port $PORT"
    as_pg "$BIN/pg_ctl" -D "$DATA" -w promote >/dev/null
    ;;
  remove)
    if running; then as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null || true; fi
    rm -rf "$DIR"
    ;;
  status)
    if running; then echo "running on port $PORT, in recovery: $(psql_standby "SELECT pg_is_in_recovery()")"; else echo "not running"; fi
    ;;
  *) die "usage: $0 start|stop|promote|remove|status" ;;
esac
