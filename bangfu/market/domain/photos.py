"""What a product photo may be: recognised by its first bytes, not by the name or the browser's claim.

The size limit is a constant, not an area parameter: it protects the server's disk and the phones that
load the public catalogue, which is the same everywhere. 2 MB holds a sharp phone photo of a product
after the phone's own compression; larger files are usually camera originals that load slowly on 3G.
"""

from __future__ import annotations

MAX_PHOTO_BYTES = 2 * 1024 * 1024

# kind → (file extension, content type)
PHOTO_KINDS = {
    "jpeg": (".jpg", "image/jpeg"),
    "png": (".png", "image/png"),
    "webp": (".webp", "image/webp"),
}


def sniff(head: bytes) -> str | None:
    """The image kind from the file's first 12 bytes, or None when it is none of JPEG, PNG, WebP."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None
