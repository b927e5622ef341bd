"""Claim documents through the API (issue #13: list, upload, download, as the claim page does with
the same service and the same file kit); the access trio and a reader who may not add documents."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.insurance.models import ClaimDocument
from bangfu.insurance.tests.helpers import other_insurer, scheme, submit
from bangfu.insurance.tests.test_documents import HTML, PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scheme(world.county, world.area_county.code)
    return submit(world.gw1, world.households["h1"].pk)


def _upload(api, claim, name, content, kind="receipt"):
    return api.post(
        f"/api/v1/insurance/claims/{claim.pk}/documents", {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def test_upload_list_and_download_over_the_api(world, claim, api_for) -> None:
    made = _upload(api_for(world.gw1), claim, "发票.pdf", PDF)
    assert made.status_code == 201
    doc = made.json()
    assert (doc["kind"], doc["uploaded_by"]) == ("receipt", "gw1") and len(doc["sha256"]) == 64
    listed = api_for(world.county).get(f"/api/v1/insurance/claims/{claim.pk}/documents").json()
    assert [d["id"] for d in listed] == [doc["id"]]
    got = api_for(world.auditor).get(doc["url"])  # a reader may open documents
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert got["X-Content-Type-Options"] == "nosniff" and got["Content-Type"] == "application/pdf"
    saved = api_for(world.county).get(doc["url"], {"download": "true"})
    assert saved["Content-Disposition"].startswith("attachment")
    refused = _upload(api_for(world.gw1), claim, "receipt.pdf", HTML)
    assert refused.status_code == 422 and "只能上传PDF" in refused.json()["errors"][0]["message"]
    assert _upload(api_for(world.gw1), claim, "x.pdf", PDF, kind="poem").status_code == 422
    assert ClaimDocument.objects.count() == 1


def test_the_auditor_reads_but_does_not_add(world, claim, api_for) -> None:
    assert _upload(api_for(world.auditor), claim, "receipt.pdf", PDF).status_code == 403
    assert not ClaimDocument.objects.exists()


@pytest.mark.parametrize("who", ["t2", "gw2", "other_insurer"])
def test_others_see_no_documents_and_add_none(world, claim, api_for, who) -> None:
    doc = _upload(api_for(world.gw1), claim, "receipt.pdf", PDF).json()
    user = other_insurer(world.area_county.code) if who == "other_insurer" else getattr(world, who)
    api = api_for(user)
    assert api.get(f"/api/v1/insurance/claims/{claim.pk}/documents").status_code == 404
    assert api.get(doc["url"]).status_code == 404
    assert _upload(api, claim, "receipt.pdf", PDF).status_code == 404
    assert ClaimDocument.objects.count() == 1
