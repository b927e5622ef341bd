"""Claim documents: checked by their bytes, stored under generated names, served only through the
claim's scope with headers that keep a file from ever running in the application's origin (D1, D2)."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bangfu.insurance.models import ClaimDocument
from bangfu.insurance.tests.helpers import scheme, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
HTML = b"<html><script>fetch('/registry/members/5/id-number/')</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'


@pytest.fixture
def claim(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scheme(world.county, world.area_county.code)
    return submit(world.gw1, world.households["h1"].pk)


def _upload(client, claim, name, content):
    return client.post(
        f"/insurance/claims/{claim.pk}/documents/", {"kind": "receipt", "file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content"), [("receipt.html", HTML), ("receipt.svg", SVG), ("receipt.png", HTML), ("scan.pdf", SVG)]
)
def test_html_and_svg_receipts_are_refused_whatever_their_name(world, client_for, claim, name, content) -> None:
    r = _upload(client_for(world.gw1), claim, name, content)
    assert r.status_code == 422
    page = r.content.decode()
    assert "只能上传PDF、JPEG、PNG或WebP文件" in page
    assert not ClaimDocument.objects.exists()


def test_documents_are_stored_under_generated_names(world, client_for, claim, tmp_path) -> None:
    assert _upload(client_for(world.gw1), claim, "张三 发票.pdf", PDF).status_code == 302
    doc = ClaimDocument.objects.get()
    assert re.fullmatch(rf"insurance/claims/{claim.pk}/[0-9a-f]{{32}}\.pdf", doc.file.name or "")
    assert (tmp_path / (doc.file.name or "")).read_bytes() == PDF


def test_pdf_and_images_open_in_place_with_safe_headers_and_download_on_request(world, client_for, claim) -> None:
    gw1 = client_for(world.gw1)
    _upload(gw1, claim, "receipt.pdf", PDF)
    _upload(gw1, claim, "photo.png", PNG)
    pdf, png = ClaimDocument.objects.order_by("pk")
    base = f"/insurance/claims/{claim.pk}/documents"
    insurer = client_for(world.insurer)
    for doc, ctype in ((pdf, "application/pdf"), (png, "image/png")):
        r = insurer.get(f"{base}/{doc.pk}/")
        assert r.status_code == 200 and r["Content-Type"] == ctype
        assert r["Content-Disposition"].startswith("inline")
        _assert_file_headers(r)
        d = insurer.get(f"{base}/{doc.pk}/?download=1")
        assert d["Content-Disposition"].startswith("attachment") and d["Content-Type"] == ctype
        _assert_file_headers(d)
    page = client_for(world.t1).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert f"{base}/{pdf.pk}/?download=1" in page and f'href="{base}/{pdf.pk}/" target="_blank"' in page


def test_a_file_stored_before_the_checks_goes_out_as_opaque_download(world, client_for, claim) -> None:
    """An HTML page attached by the old code (or planted in storage) is never rendered."""
    doc = ClaimDocument.objects.create(claim=claim, kind="receipt", uploaded_by=world.gw1)
    doc.file.save("receipt-exfil.html", ContentFile(HTML))
    r = client_for(world.county).get(f"/insurance/claims/{claim.pk}/documents/{doc.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/octet-stream" and r["Content-Disposition"].startswith("attachment")
    assert ".html" not in r["Content-Disposition"]
    _assert_file_headers(r)


def test_anonymous_and_other_areas_get_404_on_the_file(world, client_for, claim) -> None:
    _upload(client_for(world.gw1), claim, "receipt.pdf", PDF)
    doc = ClaimDocument.objects.get()
    url = f"/insurance/claims/{claim.pk}/documents/{doc.pk}/"
    assert Client().get(url).status_code == 404
    assert Client().get(f"/media/{doc.file.name}").status_code == 404
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).get(url + "?download=1").status_code == 404
    assert client_for(world.t1).get(url).status_code == 200


def test_auditor_and_other_readers_may_not_attach(world, client_for, claim) -> None:
    r = _upload(client_for(world.auditor), claim, "receipt.pdf", PDF)
    assert r.status_code == 403
    assert not ClaimDocument.objects.exists()
    page = client_for(world.auditor).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert f"/insurance/claims/{claim.pk}/documents/" not in page  # no upload form for a reader
    for outsider in (world.t2, world.gw2):
        assert _upload(client_for(outsider), claim, "receipt.pdf", PDF).status_code == 404
    assert not ClaimDocument.objects.exists()
    for writer in (world.gw1, world.t1, world.v1, world.insurer, world.county):
        assert _upload(client_for(writer), claim, "receipt.pdf", PDF).status_code == 302
    assert ClaimDocument.objects.count() == 5


def _assert_file_headers(r) -> None:
    assert r["X-Content-Type-Options"] == "nosniff"
    csp = r["Content-Security-Policy"]
    assert csp.startswith("sandbox") and "default-src 'none'" in csp
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]
