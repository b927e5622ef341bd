"""The member's fields are written once (`registry.domain.validation.MEMBER_FIELDS`); every other list of
them is derived from it or checked against it here."""

from __future__ import annotations

from bangfu.demo.domain.people import Person
from bangfu.registry import importer
from bangfu.registry.api import MemberIn, MemberPatchIn
from bangfu.registry.domain.validation import LABELS, MEMBER_FIELDS, MEMBER_STORED


def test_the_api_schemas_take_exactly_the_member_fields() -> None:
    assert tuple(MemberIn.model_fields) == MEMBER_FIELDS
    assert tuple(MemberPatchIn.model_fields) == (*MEMBER_STORED, "reason")


def test_the_import_template_and_the_demo_people_follow_the_list() -> None:
    assert [key for _, key in importer.MEMBER_COLUMNS] == ["household", *MEMBER_FIELDS]
    assert [title for title, _ in importer.MEMBER_COLUMNS[1:]] == [LABELS[k][0] for k in MEMBER_FIELDS]
    person_fields = set(Person.__dataclass_fields__)
    assert set(MEMBER_FIELDS) <= person_fields
