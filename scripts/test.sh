#!/usr/bin/env bash
# The whole test suite: linters, then pytest on SQLite, then again on PostgreSQL when one answers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --dev
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"; ruff check .
echo "== ruff format"; ruff format --check .
echo "== import-linter"; lint-imports
echo "== mypy"; mypy bangfu
workers=${TEST_WORKERS:-2}
echo "== pytest (SQLite)"
env -u DATABASE_URL pytest -n "$workers" -q "$@"
pg=${BANGFU_TEST_PG_URL:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}}
if python -c "import psycopg,sys; psycopg.connect(sys.argv[1].replace('postgres://','postgresql://'), connect_timeout=3).close()" "$pg" 2>/dev/null; then
  # A streaming standby of it for the replica and failover tests (-m replica), removed afterwards.
  echo "== streaming replica (scripts/replica.sh)"
  export BANGFU_TEST_PG_URL="$pg"
  if replica_url=$(bash scripts/replica.sh start); then
    export BANGFU_TEST_REPLICA_URL="$replica_url"
    trap 'bash scripts/replica.sh remove || true' EXIT
    echo "standby at $replica_url"
  elif [ "${BANGFU_REQUIRE_REPLICA:-0}" = 1 ]; then
    echo "no streaming replica could be started (see above); CI requires one" >&2
    exit 1
  else
    echo "no streaming replica could be started (see above): the replica tests are skipped"
  fi
  echo "== pytest (PostgreSQL)"
  DATABASE_URL="$pg" pytest -n "$workers" -q "$@"
else
  echo "== pytest (PostgreSQL): skipped, no PostgreSQL answers at $pg"
fi
