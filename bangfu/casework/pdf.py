"""The public notice as a printable PDF (fpdf2), with a CJK font installed on the machine.

No font is downloaded: the Debian package fonts-wqy-microhei (or fonts-noto-cjk) provides one,
or BANGFU_CJK_FONT names a font file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from fpdf import FPDF

from bangfu.core.errors import ApplicationError

if TYPE_CHECKING:
    from bangfu.casework.models import PublicNotice

# fontTools logs every glyph of the subset at INFO; that is noise in the server log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def cjk_font() -> Path:
    for name in (os.environ.get("BANGFU_CJK_FONT", ""), *CANDIDATES):
        if name and Path(name).is_file():
            return Path(name)
    raise ApplicationError(
        zh="服务器未安装中文字体，无法生成PDF；请安装 fonts-wqy-microhei，或先打印网页版公示",
        en="No CJK font is installed on the server; install fonts-wqy-microhei or print the web page",
        code="no_font",
        status=503,
    )


def notice_pdf(notice: PublicNotice, township_name: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=str(cjk_font()))
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("cjk", size=20)
    pdf.cell(0, 16, notice.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=13)
    pdf.ln(4)
    for paragraph in notice.body.split("\n"):
        pdf.multi_cell(0, 9, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(8)
    pdf.cell(0, 9, f"监督电话：12317　张贴地点：{notice.place}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.cell(0, 9, f"{township_name}人民政府", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 9, f"{notice.starts_on:%Y年%m月%d日}", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
