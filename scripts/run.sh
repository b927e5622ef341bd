#!/usr/bin/env bash
# Installs, migrates the embedded SQLite database, loads the demo county and serves the product.
# BANGFU_DEMO=0 starts without the demo: an empty install asks for its first administrator on the
# first page (or run `bangfu setup` first), then follows the county's set-up checklist.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PATH="$PWD/.venv/bin:$PATH"
export BANGFU_PRODUCTION=${BANGFU_PRODUCTION:-1}
bangfu migrate --noinput -v 0
if [ "${BANGFU_DEMO:-1}" != "0" ]; then
  bangfu demo
fi
bangfu collectstatic --noinput -v 0
bind=${BIND:-127.0.0.1:8000}
echo "Bangfu 帮扶 is serving at http://$bind/  (Ctrl-C stops it)"
if [ "${BANGFU_DEMO:-1}" = "0" ] && bangfu shell -c "from bangfu.accounts.services import first_run_open as f; raise SystemExit(0 if f() else 1)" 2>/dev/null; then
  echo "No account yet: open http://$bind/ to create the county's first administrator (首次设置), or run: bangfu setup"
fi
exec gunicorn bangfu.wsgi:application --bind "$bind" --workers "${WEB_WORKERS:-3}" \
  --worker-class sync --access-logfile - --timeout 120
