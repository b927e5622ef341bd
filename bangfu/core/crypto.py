"""Protection of ID numbers at rest: AES-GCM for the value, keyed HMAC for look-up and uniqueness.

Look-up by ID works through the HMAC without decrypting anything; the full value is decrypted only
when a role allows it, and that view is logged (see core.services.pii_view_log).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


@lru_cache(maxsize=1)
def _keys() -> tuple[bytes, bytes]:
    root = settings.FIELD_ENCRYPTION_KEY.encode()
    enc = hashlib.sha256(b"bangfu-enc|" + root).digest()
    mac = hashlib.sha256(b"bangfu-mac|" + root).digest()
    return enc, mac


@lru_cache(maxsize=1)
def _aead() -> AESGCM:
    return AESGCM(_keys()[0])


def lookup_hash(value: str) -> str:
    return hmac.new(_keys()[1], value.encode(), hashlib.sha256).hexdigest()[:40]


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + _aead().encrypt(nonce, value.encode(), None)).decode()


def decrypt(token: str) -> str:
    raw = base64.b64decode(token)
    return _aead().decrypt(raw[:12], raw[12:], None).decode()
