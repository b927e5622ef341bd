"""Draw the installable app's icons (bangfu/static/bangfu/icons/*.png) with Pillow.

    python3 scripts/make_icons.py   # needs Pillow (pip install --target /tmp/pil pillow; PYTHONPATH=/tmp/pil)
                                    # and a CJK font (Debian: fonts-wqy-microhei)

A white 帮 on the brand red (--brand in app.css). The maskable icon keeps the character inside the
central 80 % safe zone, so a launcher may crop it to a circle. The PNG files are committed; this
script only rebuilds them (the product never runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "bangfu" / "static" / "bangfu" / "icons"
BRAND = (180, 35, 24)
FONTS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"]


def _font(px: int) -> ImageFont.FreeTypeFont:
    for f in FONTS:
        if Path(f).exists():
            return ImageFont.truetype(f, px)
    sys.exit("no CJK font found: apt-get install fonts-wqy-microhei")


def draw(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # draw large, then shrink: smooth edges
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if maskable:
        d.rectangle((0, 0, s, s), fill=BRAND)
        glyph = int(s * 0.50)
    else:
        d.rounded_rectangle((0, 0, s - 1, s - 1), radius=int(s * 0.18), fill=BRAND)
        glyph = int(s * 0.66)
    font = _font(glyph)
    d.text((s / 2, s / 2), "帮", font=font, fill="white", anchor="mm")
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (48, 72, 96, 144, 192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-180.png", optimize=True)
    print("\n".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
