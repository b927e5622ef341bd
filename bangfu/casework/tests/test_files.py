"""Case-step attachments and visit photos: checked by their bytes, stored under generated names, linked
from the case and household pages to a scoped view (never /media/), each with the access trio."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bangfu.casework import services
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, CaseAttachment, Visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32
HTML = b"<html><script>fetch('/registry/members/5/id-number/')</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _case(world) -> Case:
    return services.case_open(
        actor=world.gw1,
        household=world.households["h1"],
        source="grid",
        summary="因病",
        on=TODAY - dt.timedelta(days=3),
    )


def _accept(client, case, *uploads):
    return client.post(reverse("casework:case_step", args=[case.pk]), {"event": "accept", "files": list(uploads)})


def _headers_ok(r) -> None:
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"].startswith("sandbox") and "default-src 'none'" in r["Content-Security-Policy"]
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "content"), [("minutes.html", HTML), ("minutes.svg", SVG), ("consent.png", HTML), ("minutes.pdf", SVG)]
)
def test_html_and_svg_attachments_are_refused_and_the_step_is_not_taken(
    world, params, client_for, media, name, content
) -> None:
    case = _case(world)
    ok = SimpleUploadedFile("consent.pdf", PDF)
    r = _accept(client_for(world.t1), case, ok, SimpleUploadedFile(name, content))
    assert r.status_code == 422
    assert "只能上传PDF、JPEG、PNG或WebP文件" in r.content.decode() and name in r.content.decode()
    case.refresh_from_db()
    assert case.state == State.LEAD and not CaseAttachment.objects.exists()
    assert not any(media.rglob("*.*"))


def test_attachments_get_generated_names_and_a_scoped_view_linked_from_the_case(
    world, params, client_for, media
) -> None:
    case = _case(world)
    r = _accept(
        client_for(world.t1), case, SimpleUploadedFile("民主评议纪要.pdf", PDF), SimpleUploadedFile("签字.jpg", JPEG)
    )
    assert r.status_code == 302
    pdf, jpg = CaseAttachment.objects.order_by("pk")
    assert (
        re.fullmatch(r"casework/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", pdf.file.name or "") and pdf.name == "民主评议纪要.pdf"
    )
    assert (jpg.file.name or "").endswith(".jpg") and "签字" not in (jpg.file.name or "")
    url = reverse("casework:attachment", args=[pdf.pk])
    page = client_for(world.t1).get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert f'href="{url}?download=1"' in page and f'href="{url}" target="_blank"' in page  # download + preview
    assert "/media/" not in page
    for reviewer in (world.t1, world.county, world.auditor, world.gw1):
        shown = client_for(reviewer).get(url)
        assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
        assert shown["Content-Disposition"].startswith("inline") and b"".join(shown.streaming_content) == PDF
        _headers_ok(shown)
    saved = client_for(world.t1).get(url + "?download=1")
    assert saved["Content-Disposition"].startswith("attachment") and "filename" in saved["Content-Disposition"]
    _headers_ok(saved)
    photo = client_for(world.t1).get(reverse("casework:attachment", args=[jpg.pk]))
    assert photo["Content-Type"] == "image/jpeg" and photo["Content-Disposition"].startswith("inline")


def test_attachment_is_404_for_anonymous_and_other_areas(world, params, client_for, media) -> None:
    case = _case(world)
    _accept(client_for(world.t1), case, SimpleUploadedFile("consent.pdf", PDF))
    att = CaseAttachment.objects.get()
    url = reverse("casework:attachment", args=[att.pk])
    assert Client().get(url).status_code == 404
    assert Client().get(f"/media/{att.file.name}").status_code == 404
    for outsider in (world.t2, world.gw2, world.gw3):
        assert client_for(outsider).get(url).status_code == 404


def test_reader_without_the_step_capability_cannot_attach(world, params, client_for, media) -> None:
    case = _case(world)
    for reader in (world.auditor, world.gw1, world.v1):  # none holds case_accept
        r = _accept(client_for(reader), case, SimpleUploadedFile("consent.pdf", PDF))
        assert r.status_code == 403
    r = _accept(client_for(world.auditor), case, SimpleUploadedFile("x.png", HTML))
    assert r.status_code == 403  # refused as a reader before the file is even looked at
    for outsider in (world.t2, world.gw2):
        assert _accept(client_for(outsider), case, SimpleUploadedFile("consent.pdf", PDF)).status_code in (403, 404)
    case.refresh_from_db()
    assert case.state == State.LEAD and not CaseAttachment.objects.exists()


def _visit(client, household, photo):
    url = reverse("casework:visit_form", args=[household.pk])
    return client.post(url, {"mode": "in_person", "visited_on": TODAY.isoformat(), "photo": photo})


@pytest.mark.parametrize(("name", "content"), [("door.jpg", HTML), ("door.svg", SVG), ("door.pdf", PDF)])
def test_visit_photo_must_be_an_image(world, params, client_for, media, name, content) -> None:
    r = _visit(client_for(world.gw1), world.households["h1"], SimpleUploadedFile(name, content))
    assert r.status_code == 422 and "只能上传JPEG、PNG或WebP文件" in r.content.decode()
    assert not Visit.objects.exists()


def test_visit_photo_is_shown_where_the_visit_is_and_scoped(world, params, client_for, media) -> None:
    h = world.households["h1"]
    assert _visit(client_for(world.gw1), h, SimpleUploadedFile("门前.jpg", JPEG)).status_code == 302
    visit = Visit.objects.get()
    assert re.fullmatch(r"visits/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", visit.photo.name or "")
    url = reverse("casework:visit_photo", args=[visit.pk])
    household_page = client_for(world.t1).get(reverse("registry:household_detail", args=[h.pk])).content.decode()
    assert f'href="{url}"' in household_page
    visit_page = client_for(world.gw1).get(reverse("casework:visit_form", args=[h.pk])).content.decode()
    assert f'href="{url}"' in visit_page
    for viewer in (world.gw1, world.t1, world.v1, world.county, world.auditor):
        r = client_for(viewer).get(url)
        assert (
            r.status_code == 200 and r["Content-Type"] == "image/jpeg" and r["Content-Disposition"].startswith("inline")
        )
        _headers_ok(r)
    assert Client().get(url).status_code == 404
    for outsider in (world.t2, world.gw2, world.gw3):
        assert client_for(outsider).get(url).status_code == 404
