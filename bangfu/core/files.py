"""Uploaded files, the one way: what may come in, under which name it is kept, how it goes back out.

Every upload in the product (claim documents, case-step attachments, visit photos, product photos)
goes through `accept` and every stored file is sent back through `serve`:

- **In**: the type is read from the file's first bytes (`sniff`), never from its name or from what
  the browser claims, and must be on the allow-list of that kind of upload (`PHOTO`, `DOCUMENT`).
  An HTML page renamed `receipt.png`, an SVG or a renamed `.exe` is refused with a bilingual error
  that says which types are accepted. Size limits are per kind of upload (the caller's constant).
- **Name**: the stored name is generated (random hex + the extension of the sniffed type), so
  nothing the uploader typed reaches a disk path or a header. The uploader's name is kept only as
  text where a page shows it (`Accepted.original_name`).
- **Out**: files are never published under MEDIA_URL (bangfu/urls.py serves no media). A view checks
  login and scope, then calls `serve`: the type is sniffed again from the stored bytes (so a file
  stored before these checks is sent as `application/octet-stream`), images and PDF may be shown
  inline, everything else is an attachment; always `X-Content-Type-Options: nosniff`, a sandboxing
  `Content-Security-Policy` (a file can never run script in the application's origin) and
  `Cache-Control: private, no-store` (public catalogue photos may be cached, see `serve(public=True)`).

Workbook imports read their upload in memory and do not store it; `WORKBOOK` is here so they can
check the bytes the same way.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase

from bangfu.core.errors import NotFound, invalid

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models.fields.files import FieldFile


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class FileType:
    key: str
    label: str  # as named in error messages
    ext: str  # extension of the stored name
    content_type: str
    inline: bool  # a browser may show it in place (images, PDF); anything else is downloaded


TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", ".pdf", "application/pdf", True),
        FileType("jpeg", "JPEG", ".jpg", "image/jpeg", True),
        FileType("png", "PNG", ".png", "image/png", True),
        FileType("webp", "WebP", ".webp", "image/webp", True),
        FileType("xlsx", "Excel(.xlsx)", ".xlsx", XLSX_TYPE, False),
    )
}

# Allow-lists per kind of upload.
PHOTO = ("jpeg", "png", "webp")
DOCUMENT = ("pdf", "jpeg", "png", "webp")  # scanned or photographed paperwork
WORKBOOK = ("xlsx",)  # a ZIP container; the workbook reader decides whether it really is a workbook

SNIFF_BYTES = 16
SANDBOX_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"


def sniff(head: bytes) -> str | None:
    """The type key from the file's first bytes, or None when it is none of the known types.

    SVG (it can carry scripts), HTML, GIF and anything else has no signature here and is refused.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    return None


def allowed_text(allowed: Sequence[str]) -> tuple[str, str]:
    """'JPEG、PNG或WebP' / 'JPEG, PNG or WebP' for an allow-list."""
    labels = [TYPES[k].label for k in allowed]
    if len(labels) == 1:
        return labels[0], labels[0]
    return "、".join(labels[:-1]) + "或" + labels[-1], ", ".join(labels[:-1]) + " or " + labels[-1]


@dataclass(frozen=True)
class Accepted:
    """An upload that passed `accept`: `upload.name` is already the generated name to store it under."""

    upload: UploadedFile[bytes]
    type: FileType
    original_name: str  # what the uploader called it: text to show, never a path


def generated_name(t: FileType) -> str:
    return f"{uuid.uuid4().hex}{t.ext}"


def accept(upload: UploadedFile[bytes], *, allowed: Sequence[str], max_bytes: int, field: str) -> Accepted:
    """Check the upload by its bytes against `allowed` and its size, and give it a generated name.

    Raises ValidationFailed (422) with a bilingual message naming the file and the accepted types.
    """
    original = re.split(r"[\\/]", upload.name or "")[-1][:120]
    shown = original[:60] or "—"
    size = upload.size or 0
    if size > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise invalid(
            field,
            f"文件「{shown}」超过{mb}MB，请压缩后再上传",
            f"the file '{shown}' is larger than {mb} MB; compress it and upload it again",
        )
    upload.seek(0)
    key = sniff(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if size == 0 or key not in allowed:
        zh, en = allowed_text(allowed)
        raise invalid(
            field,
            f"文件「{shown}」不是允许的类型：只能上传{zh}文件（按文件内容识别，改扩展名无效）",
            f"the file '{shown}' is not an accepted type: only {en} files are accepted "
            "(the content decides, not the file name)",
        )
    t = TYPES[key or ""]
    upload.name = generated_name(t)
    return Accepted(upload, t, original)


def download_name(original: str, t: FileType | None) -> str:
    """The name offered to the browser: the uploader's stem (if any) with the extension of the real type."""
    stem = re.split(r"[\\/]", original)[-1].rsplit(".", 1)[0]
    stem = re.sub(r'[\x00-\x1f"\\;]', "", stem).strip()[:80] or "file"
    return stem + (t.ext if t else ".bin")


def type_of_name(name: str) -> FileType | None:
    """The type a stored (generated) name stands for; templates use it to offer a preview link."""
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return next((t for t in TYPES.values() if t.ext == ext), None)


def previewable(name: str) -> bool:
    t = type_of_name(name)
    return bool(t and t.inline)


def file_view[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """Decorator for views that serve stored files: anonymous users get 404 (not a login redirect that
    would confirm the address exists); the view itself then checks scope and calls `serve`."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            raise NotFound()
        return view(request, *args, **kwargs)

    return cast(V, wrapped)


def serve(file: FieldFile, *, filename: str = "", download: bool = False, public: bool = False) -> FileResponse:
    """Send a stored file. Call it only after the view has checked login and scope.

    download=True always sends it as an attachment. public=True (anonymous catalogue photos only)
    lets shared caches keep it for an hour; everything else is `private, no-store`.
    """
    name = file.name or ""
    if not name or not file.storage.exists(name):
        raise NotFound()
    handle = file.storage.open(name, "rb")
    t = TYPES.get(sniff(handle.read(SNIFF_BYTES)) or "")
    handle.seek(0)
    if t is not None and t.key not in DOCUMENT:
        t = None  # workbooks are never stored; anything unexpected goes out as opaque bytes
    inline = bool(t and t.inline) and not download
    response = FileResponse(
        handle,
        content_type=t.content_type if t else "application/octet-stream",
        as_attachment=not inline,
        filename=download_name(filename or name, t),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
