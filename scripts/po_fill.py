"""Fill English translations into a catalogue: `python scripts/po_fill.py PO < pairs`, one
`中文 => English` pair per line; sets the msgstr of each matching single-line msgid (docs/i18n.md)."""

from __future__ import annotations

import re
import sys


def main(po: str, pairs: str) -> int:
    with open(po, encoding="utf-8") as f:
        text = f.read()
    missing = 0
    for line in pairs.splitlines():
        if "=>" not in line:
            continue
        zh, en = (part.strip() for part in line.split("=>", 1))
        quoted = re.escape(zh.replace('"', '\\"'))
        # a single-line msgid; its msgstr may be empty, one line, or wrapped over several
        pattern = re.compile(rf'(msgid "{quoted}"\nmsgstr )"[^\n]*"(?:\n"[^\n]*")*')
        text, n = pattern.subn(lambda m, en=en: m.group(1) + '"' + en.replace('"', '\\"') + '"', text)
        if not n:
            missing += 1
            print(f"not in {po}: {zh}", file=sys.stderr)
    with open(po, "w", encoding="utf-8") as f:
        f.write(text)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.stdin.read()))
