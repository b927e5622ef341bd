#!/usr/bin/env bash
# Creates .venv with a Python >= 3.12 and installs the project (and, with --dev, the test tools and
# Debian's chromium for the browser tests). Safe to run again: it only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
dev=0; [ "${1:-}" = "--dev" ] && dev=1
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  py=$(bash scripts/find-python.sh)
  echo "bootstrap: creating .venv with $py ($("$py" --version))"
  rm -rf .venv && "$py" -m venv .venv
fi
stamp=.venv/.installed-$dev
want=$(cat pyproject.toml | sha1sum | cut -c1-12)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  extra=""; [ $dev = 1 ] && extra="[dev]"
  .venv/bin/python -m pip install -q -e ".$extra" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c 'import django, duckdb, python_calamine' # fails loudly if the install did not work
  echo "$want" > "$stamp"
fi
# Debian packages: a CJK font for printable PDFs (public notices), gettext for the translation
# catalogues, and chromium for browser tests.
debs=()
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || debs+=(fonts-wqy-microhei)
command -v msgfmt >/dev/null || debs+=(gettext)
[ $dev = 1 ] && [ ! -x /usr/bin/chromium ] && debs+=(chromium)
if [ ${#debs[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${debs[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${debs[@]}" >/dev/null
fi
# The English catalogues, compiled for Django (only the ones that changed).
bash scripts/messages.sh compile
