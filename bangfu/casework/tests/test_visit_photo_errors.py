"""A visit photo refused (too large, not an image) is said beside the photo field, in the reader's
language, and everything else typed is kept (issue #16, UX review P10); nothing is stored."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bangfu.casework.models import Case, Visit

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32


def _post(client, h, photo):
    return client.post(
        reverse("casework:visit_form", args=[h.pk]),
        {"mode": "phone", "visited_on": timezone.localdate().isoformat(), "note": "屋顶漏雨，需修缮",
         "checks": ["housing"], "report_risk": "1", "photo": photo},
    )  # fmt: skip


def _photo_field(html: str) -> str:
    label = re.search(r"<label>[^<]*<input type=\"file\" name=\"photo\".*?</label>", html, re.S)
    assert label is not None, "no photo field"
    return label.group(0)


@pytest.mark.parametrize(
    ("photo", "zh", "en"),
    [
        (SimpleUploadedFile("scan.jpg", b"%PDF-1.4 not an image"), "不是允许的类型", "not an accepted type"),
        (SimpleUploadedFile("big.jpg", JPEG + b"\x00" * (5 * 1024 * 1024)), "超过5MB", "larger than 5 MB"),
    ],
)
def test_a_refused_photo_is_shown_beside_its_field_and_the_rest_is_kept(world, params, client_for, photo, zh, en):
    h = world.households["h1"]
    client = client_for(world.gw1)
    r = _post(client, h, photo)
    html = r.content.decode()
    assert r.status_code == 422
    field = _photo_field(html)
    assert 'class="errorlist"' in field and zh in field
    assert html.count(zh) == 1  # said once, beside the field (not also in a banner at the top)
    assert "屋顶漏雨，需修缮</textarea>" in html  # the note kept
    assert re.search(r'name="checks" value="housing" checked', html)
    assert re.search(r'name="mode" value="phone" checked', html)
    assert re.search(r'name="report_risk" value="1" checked', html)
    assert not Visit.objects.exists() and not Case.objects.exists()
    photo.seek(0)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _post(client, h, photo).content.decode()
    assert en in _photo_field(english)
    assert client_for(world.gw2).post(reverse("casework:visit_form", args=[h.pk]), {}).status_code in (403, 404)
