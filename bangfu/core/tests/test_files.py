"""The one file kit (bangfu.core.files): type by magic bytes, allow-lists, generated names (no database)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from bangfu.core import files
from bangfu.core.errors import ValidationFailed
from bangfu.core.files import sniff

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
HTML = b"<html><script>fetch('/registry/members/5/id-number/')</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def test_known_kinds():
    assert sniff(b"\xff\xd8\xff\xdb" + b"\x00" * 8) == "jpeg"
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0d") == "png"
    assert sniff(b"RIFF\x10\x00\x00\x00WEBP") == "webp"
    assert sniff(PDF) == "pdf"
    assert sniff(b"PK\x03\x04\x14\x00") == "xlsx"


def test_lookalikes_are_refused():
    assert sniff(b"RIFF\x10\x00\x00\x00WAVE") is None  # a RIFF file that is sound, not an image
    assert sniff(b"GIF89a\x00\x00\x00\x00\x00\x00") is None
    assert sniff(SVG) is None  # SVG can carry scripts
    assert sniff(HTML) is None
    assert sniff(b" %PDF-1.4") is None  # the signature must come first
    assert sniff(b"") is None


@given(st.binary(max_size=16))
def test_anything_else_is_none_or_starts_with_a_signature(head):
    kind = sniff(head)
    signed = (
        head[:3] == b"\xff\xd8\xff"
        or head[:8] == b"\x89PNG\r\n\x1a\n"
        or head[8:12] == b"WEBP"
        or head[:5] == b"%PDF-"
        or head[:4] == b"PK\x03\x04"
    )
    assert kind is None or signed


@pytest.mark.parametrize(
    ("name", "content"),
    [("receipt.html", HTML), ("receipt.svg", SVG), ("receipt.png", HTML), ("receipt.pdf", SVG), ("a.pdf", b"")],
)
def test_accept_refuses_by_bytes_with_a_bilingual_message_naming_the_allowed_types(name, content):
    with pytest.raises(ValidationFailed) as refused:
        files.accept(SimpleUploadedFile(name, content), allowed=files.DOCUMENT, max_bytes=1024, field="file")
    problem = refused.value.problems[0]
    assert problem.field == "file"
    assert name in problem.zh and "只能上传PDF、JPEG、PNG或WebP文件" in problem.zh
    assert "only PDF, JPEG, PNG or WebP files are accepted" in problem.en


def test_accept_keeps_the_allow_list_of_the_kind():
    with pytest.raises(ValidationFailed) as refused:
        files.accept(SimpleUploadedFile("scan.pdf", PDF), allowed=files.PHOTO, max_bytes=1024, field="photo")
    assert "只能上传JPEG、PNG或WebP文件" in refused.value.problems[0].zh


def test_accept_refuses_large_files_before_reading_them():
    with pytest.raises(ValidationFailed) as refused:
        files.accept(
            SimpleUploadedFile("big.pdf", PDF + b"\x00" * 2 * 1024 * 1024),
            allowed=files.DOCUMENT,
            max_bytes=1024 * 1024,
            field="file",
        )
    assert "超过1MB" in refused.value.problems[0].zh and "larger than 1 MB" in refused.value.problems[0].en


def test_accepted_upload_gets_a_generated_name_by_its_real_type():
    a = files.accept(SimpleUploadedFile("../../我的 发票.png", JPEG), allowed=files.DOCUMENT, max_bytes=1024, field="f")
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", a.upload.name or "")
    assert a.type.key == "jpeg" and a.original_name == "我的 发票.png"
    b = files.accept(SimpleUploadedFile("x.pdf", PDF), allowed=files.DOCUMENT, max_bytes=1024, field="f")
    assert b.upload.name != a.upload.name


def test_download_name_takes_the_extension_of_the_real_type():
    assert files.download_name('evil".html', files.TYPES["pdf"]) == "evil.pdf"
    assert files.download_name("dir/minutes.v2.pdf", files.TYPES["pdf"]) == "minutes.v2.pdf"
    assert files.download_name("x.html", None) == "x.bin"
    assert files.previewable("casework/2026/12/ab.pdf") and not files.previewable("insurance/claims/4/a.html")


def test_media_is_never_published_even_with_debug(settings):
    """bangfu/urls.py used to add static(MEDIA_URL) under DEBUG: every upload anonymous at /media/…"""
    import importlib

    from django.urls import clear_url_caches

    import bangfu.urls

    settings.DEBUG = True
    try:
        patterns = [str(p.pattern) for p in importlib.reload(bangfu.urls).urlpatterns]
        assert patterns and not any("media" in p for p in patterns)
    finally:
        settings.DEBUG = False
        importlib.reload(bangfu.urls)
        clear_url_caches()
