#!/usr/bin/env bash
# Installs, migrates the embedded SQLite database, loads the demo county and serves the product.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PATH="$PWD/.venv/bin:$PATH"
export BANGFU_PRODUCTION=${BANGFU_PRODUCTION:-1}
bangfu migrate --noinput -v 0
bangfu demo
bangfu collectstatic --noinput -v 0
bind=${BIND:-127.0.0.1:8000}
echo "Bangfu 帮扶 is serving at http://$bind/  (Ctrl-C stops it)"
exec gunicorn bangfu.wsgi:application --bind "$bind" --workers "${WEB_WORKERS:-3}" \
  --worker-class sync --access-logfile - --timeout 120
