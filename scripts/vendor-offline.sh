#!/usr/bin/env bash
# Rebuild the vendored Workbox and idb files in bangfu/static/vendor/ (see its README.md).
# npm installs into a temporary folder; nothing is built, the published files are copied.
set -euo pipefail
WORKBOX=7.4.1
IDB=8.0.4
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/bangfu/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm init -y >/dev/null
npm install --no-audit --no-fund "idb@$IDB" "workbox-sw@$WORKBOX" \
  $(for m in core routing strategies precaching expiration cacheable-response; do echo "workbox-$m@$WORKBOX"; done) >/dev/null
mkdir -p "$OUT/workbox-$WORKBOX"
strip() { sed '/^\/\/# sourceMappingURL=/d' "$1" > "$2"; }
for m in core routing strategies precaching expiration cacheable-response; do
  strip "node_modules/workbox-$m/build/workbox-$m.prod.js" "$OUT/workbox-$WORKBOX/workbox-$m.prod.js"
done
strip node_modules/workbox-sw/build/workbox-sw.js "$OUT/workbox-$WORKBOX/workbox-sw.js"
cp node_modules/workbox-core/LICENSE "$OUT/workbox-$WORKBOX/LICENSE"
strip node_modules/idb/build/umd.js "$OUT/idb-$IDB.umd.js"
cp node_modules/idb/LICENSE "$OUT/idb-$IDB.LICENSE"
ls -l "$OUT" "$OUT/workbox-$WORKBOX"
