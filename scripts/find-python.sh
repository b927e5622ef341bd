#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 (Django 6 needs it). The default python3 here is 3.11, and
# pyenv shims for other versions fail unless that version is selected, so each candidate is run.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${BANGFU_PYTHON:-}" ] && candidates+=("$BANGFU_PYTHON")
for v in 3.14 3.13 3.12; do
  candidates+=("python$v")
  for root in "${PYENV_ROOT:-}" "$HOME/.pyenv" /root/.pyenv /opt/pyenv; do
    [ -n "$root" ] || continue
    for d in "$root"/versions/"$v"*/bin/python"$v"; do [ -x "$d" ] && candidates+=("$d"); done
  done
  candidates+=("/usr/bin/python$v" "/usr/local/bin/python$v")
done
candidates+=(python3)
for c in "${candidates[@]}"; do
  if ok "$c"; then command -v "$c" 2>/dev/null || echo "$c"; exit 0; fi
done
echo "No Python 3.12 or newer found. 找不到 Python 3.12 及以上版本；请安装后设置 BANGFU_PYTHON=/path/to/python3.12" >&2
exit 1
