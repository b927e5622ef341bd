"""统一社会信用代码 (GB 32100-2015): the 18-character national identifier of enterprises and co-ops.

It is how an enterprise user's membership names their enterprise or workshop operator, so a typo
must be caught by the check character rather than silently pointing at nobody. The one validator
for the market's enterprises and employment's workshop operators.
"""

from __future__ import annotations

import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # I, O, Z, S, V are not used
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class InvalidCreditCode(ValueError):
    """Why the code is not valid, in Chinese (`zh`) and English (`en`); str() gives "zh / en"."""

    def __init__(self, zh: str, en: str = "") -> None:
        super().__init__(f"{zh} / {en}" if en else zh)
        self.zh, self.en = zh, en or zh


def check_char(body: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def parse(raw: str) -> str:
    """The normalised code, or InvalidCreditCode with the reason."""
    code = unicodedata.normalize("NFKC", raw).strip().upper()  # full-width characters typed in an IME
    if len(code) != 18:
        raise InvalidCreditCode("统一社会信用代码应为18位", "the unified social credit code must have 18 characters")
    if any(c not in ALPHABET for c in code):
        raise InvalidCreditCode(
            "统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）", "the code contains a letter that is not used"
        )
    if check_char(code[:17]) != code[17]:
        raise InvalidCreditCode(
            "统一社会信用代码校验位不正确，请核对营业执照", "the check character is wrong; copy it from the licence"
        )
    return code


def make(registrar: str, region: str, serial: str) -> str:
    """Build a valid code: registrar (2 chars, e.g. 91 company, 93 co-op), 6-digit region, 9-char serial."""
    body = f"{registrar}{region}{serial}"
    if len(body) != 17 or any(c not in ALPHABET for c in body):
        raise InvalidCreditCode("registrar 2 + region 6 + serial 9 characters from the code alphabet expected")
    return body + check_char(body)
