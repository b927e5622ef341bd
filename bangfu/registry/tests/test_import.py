"""Excel import of households: template, all-or-nothing with a per-row report, duplicates, history."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from python_calamine import CalamineWorkbook

from bangfu.core import crypto
from bangfu.core.errors import ApplicationError, NotFound, ValidationFailed
from bangfu.core.excel import SheetSpec, write_workbook
from bangfu.core.models import AuditEvent
from bangfu.registry.importer import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS, household_import, template_workbook
from bangfu.registry.models import Household, Member
from bangfu.testing import new_id_number

pytestmark = pytest.mark.django_db
H_TITLES = [t for t, _ in HOUSEHOLD_COLUMNS]
M_TITLES = [t for t, _ in MEMBER_COLUMNS]


def household(number: str, village: str, grid: str = "", **flags: str) -> list[str]:
    values = {"户编号": number, "村代码": village, "网格编号": grid, "地址": "1号", "脱贫户": "否", "低保户": "否",
              "特困供养": "否", "易地搬迁户": "否", "整户无劳动力": "否", **flags}  # fmt: skip
    return [values.get(t, "") for t in H_TITLES]


def member(number: str, name: str, relation: str = "户主", id_number: str = "", **more: str) -> list[str]:
    values = {"户编号": number, "姓名": name, "身份证号": id_number or new_id_number(), "与户主关系": relation, **more}
    return [values.get(t, "") for t in M_TITLES]


def xlsx(households: list[Sequence[str]], members: list[Sequence[str]]) -> bytes:
    return write_workbook([SheetSpec("农户", H_TITLES, rows=households), SheetSpec("成员", M_TITLES, rows=members)])


def problems_of(exc: ValidationFailed) -> set[tuple[int | None, str]]:
    return {(p.row, p.field) for p in exc.problems}


def counts() -> tuple[int, int, int, int]:
    return (Household.objects.count(), Member.objects.count(), Household.history.count(), Member.history.count())


def test_template_has_both_sheets_dropdown_lists_and_the_users_villages(world):
    wb = CalamineWorkbook.from_filelike(io.BytesIO(template_workbook(world.t1)))
    assert {"农户", "成员", "村和网格"} <= set(wb.sheet_names)
    assert wb.get_sheet_by_name("农户").to_python()[0] == H_TITLES
    assert wb.get_sheet_by_name("成员").to_python()[0] == M_TITLES
    places = [r[0] for r in wb.get_sheet_by_name("村和网格").to_python()[1:]]
    assert world.v1a.code in places and world.v2a.code not in places
    lists = [c for r in wb.get_sheet_by_name("_lists").to_python() for c in r]
    assert "户主" in lists and "城乡居民基本医疗保险" in lists
    assert f"{world.area_t1.name} {world.v1b.name} ({world.v1b.code})" in lists  # villages offered by name


def test_a_village_chosen_by_name_imports_as_its_code(world):
    """The 村代码 dropdown offers "雪口山乡 黎明村 (511133100202)"; the code in brackets is what is stored."""
    data = xlsx(
        [household("511133100202903", f"{world.area_t1.name} {world.v1b.name} ({world.v1b.code})")],
        [member("511133100202903", "沙马拉且")],
    )
    household_import(actor=world.t1, data=data, filename="户.xlsx")
    assert Household.objects.get(number="511133100202903").village_id == world.v1b.code


def test_import_stores_households_members_and_history(world):
    data = xlsx(
        [household("511133100201901", world.v1a.code, "G1", 脱贫户="是", 脱贫年度="2019", 低保户="是"),
         household("511133100202902", world.v1b.code)],
        [member("511133100201901", "吉石罗布"), member("511133100201901", "阿西莫", "配偶"),
         member("511133100202902", "沙马拉且", 健康状况="残疾", 残疾等级="二级")],
    )  # fmt: skip
    result = household_import(actor=world.t1, data=data, filename="户.xlsx")
    assert (result.households, result.members) == (2, 3)
    h = Household.objects.get(number="511133100201901")
    assert (h.head_name, h.size, h.grid, h.exit_year, h.dibao, h.dibao_since is not None) == (
        "吉石罗布", 2, world.g1, 2019, True, True)  # fmt: skip
    wife = h.members.get(relation="配偶")
    assert wife.id_masked.count("*") == 12 and len(crypto.decrypt(wife.id_enc)) == 18
    created = h.history.get()
    assert created.history_type == "+" and created.history_user == world.t1
    assert created.history_change_reason == f"Excel导入 import #{result.batch_id}"
    assert Member.history.filter(id=wife.pk, history_type="+").count() == 1
    event = AuditEvent.objects.get(pk=result.batch_id)
    assert (event.action, event.data, event.area_code) == ("household_import", {"households": 2, "members": 3},
                                                           world.area_t1.code)  # fmt: skip


def test_one_bad_row_stores_nothing_and_reports_row_column_and_both_languages(world):
    before = counts()
    data = xlsx(
        [household("511133100201901", world.v1a.code), household("511133100201902", world.v1a.code, 脱贫户="也许")],
        [member("511133100201901", "甲"), member("511133100201902", "乙"),
         member("511133100201902", "丙", "之子", id_number="511133196001010010", 务工月数="13")],
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        household_import(actor=world.t1, data=data, filename="a.xlsx")
    assert counts() == before
    assert problems_of(e.value) == {(3, "农户!脱贫户"), (4, "成员!身份证号"), (4, "成员!务工月数")}
    by_field = {p.field: p for p in e.value.problems}
    assert "校验位" in by_field["成员!身份证号"].zh and "check digit" in by_field["成员!身份证号"].en
    assert "3处错误" in e.value.zh and "nothing was imported" in e.value.en


def test_row_numbers_match_excel_when_blank_rows_sit_between(world):
    data = xlsx(
        [household("511133100201901", world.v1a.code), ["", "", ""], household("x1", world.v1a.code)],
        [member("511133100201901", "甲"), member("x1", "乙")],
    )
    with pytest.raises(ValidationFailed) as e:
        household_import(actor=world.t1, data=data, filename="a.xlsx")
    assert (4, "农户!户编号") in problems_of(e.value)


def test_duplicates_within_the_file_and_against_the_registry(world):
    h3_id = crypto.decrypt(world.households["h3"].members.first().id_enc)
    twice = new_id_number()
    data = xlsx(
        [household("511133100201901", world.v1a.code), household("511133100201901", world.v1a.code),
         household(world.households["h1"].number, world.v1a.code)],
        [member("511133100201901", "甲", id_number=twice), member("511133100201901", "乙", "之子", id_number=twice),
         member("511133100201901", "丙", "之女", id_number=h3_id), member(world.households["h1"].number, "丁")],
    )  # fmt: skip
    before = counts()
    with pytest.raises(ValidationFailed) as e:
        household_import(actor=world.t1, data=data, filename="a.xlsx")
    assert counts() == before
    assert problems_of(e.value) == {
        (3, "农户!户编号"),  # repeats row 2
        (4, "农户!户编号"),  # already registered
        (3, "成员!身份证号"),  # repeats row 2 of 成员
        (4, "成员!身份证号"),  # registered in another township: uniqueness is registry-wide
    }
    texts = {p.zh for p in e.value.problems}
    assert "户编号511133100201901与第2行重复" in texts and "身份证号与第2行重复" in texts


def test_heads_placement_and_orphan_members(world):
    data = xlsx(
        [household("511133100201901", world.v1a.code, "G3"), household("511133100201902", world.v1a.code),
         household("511133200201903", world.v2a.code)],
        [member("511133100201901", "甲"), member("511133100201901", "乙"),
         member("511133100201902", "丙", "之子"), member("511133100201999", "丁")],
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        household_import(actor=world.t1, data=data, filename="a.xlsx")
    assert problems_of(e.value) == {
        (2, "农户!网格编号"),  # G3 is a grid of another village
        (2, "农户!户编号"),  # two heads
        (3, "农户!户编号"),  # no head
        (4, "农户!村代码"),  # a village of the neighbouring township: not this officer's
        (4, "农户!户编号"),  # no members at all
        (5, "成员!户编号"),  # a member of no household in the file
    }


def test_wrong_template_and_wrong_file(world):
    wrong_sheet = write_workbook([SheetSpec("Sheet1", ["a", "b"], rows=[["1", "2"]])])
    with pytest.raises(ApplicationError) as e:
        household_import(actor=world.t1, data=wrong_sheet, filename="a.xlsx")
    assert e.value.code == "wrong_template" and "农户" in e.value.zh
    missing_column = write_workbook([SheetSpec("农户", H_TITLES[:-1]), SheetSpec("成员", M_TITLES)])
    with pytest.raises(ApplicationError) as e:
        household_import(actor=world.t1, data=missing_column, filename="a.xlsx")
    assert e.value.code == "wrong_template" and "整户无劳动力" in e.value.zh and "Sheet '农户'" in e.value.en
    for data, name in ((b"not a spreadsheet", "a.xlsx"), (b"a,b\n", "a.csv")):
        with pytest.raises(ApplicationError) as e:
            household_import(actor=world.t1, data=data, filename=name)
        assert e.value.code == "bad_file"
    assert Household.objects.count() == 3


def test_roles_without_import_get_404_and_neighbours_only_their_own_villages(world):
    data = xlsx([household("511133100201901", world.v1a.code)], [member("511133100201901", "甲")])
    for user in (world.gw2, world.gw1, world.v1, world.dept):
        with pytest.raises(NotFound):
            household_import(actor=user, data=data, filename="a.xlsx")
    with pytest.raises(ValidationFailed) as e:
        household_import(actor=world.t2, data=data, filename="a.xlsx")
    assert problems_of(e.value) == {(2, "农户!村代码")}
    assert Household.objects.count() == 3


def test_numbers_typed_into_cells_and_full_width_id_digits_are_read_as_text(world):
    """A clerk's sheet: household number and months as numbers, the ID typed with a Chinese input method."""
    idn = new_id_number()
    full_width = idn.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    data = write_workbook(
        [
            SheetSpec("农户", H_TITLES, rows=[[511133100201777 if t == "户编号" else v
                                              for t, v in zip(H_TITLES, household("x", world.v1a.code), strict=True)]]),
            SheetSpec("成员", M_TITLES, rows=[[{"户编号": 511133100201777, "务工月数": 6}.get(t, v)
                                              for t, v in zip(M_TITLES, member("x", "吉克", id_number=full_width),
                                                              strict=True)]]),
        ]
    )  # fmt: skip
    household_import(actor=world.t1, data=data, filename="户.xlsx")
    person = Member.objects.get(household__number="511133100201777")
    assert person.months_worked == 6
    assert person.id_hash == crypto.lookup_hash(idn) and crypto.decrypt(person.id_enc) == idn


def test_the_garbage_collector_is_back_on_after_an_import_that_fails(world):
    import gc

    data = xlsx([household("511133100201903", world.v1a.code)], [member("511133100201903", "")])
    with pytest.raises(ValidationFailed):
        household_import(actor=world.t1, data=data, filename="户.xlsx")
    assert gc.isenabled()


def test_a_number_registered_between_check_and_insert_is_a_conflict_and_stores_nothing(world, monkeypatch):
    """The race the checks cannot see: another officer registers the same household meanwhile."""
    from bangfu.core.errors import Conflict
    from bangfu.registry import importer

    taken = world.households["h1"].number
    data = xlsx([household("511133100201904", world.v1a.code), household(taken, world.v1a.code)],
                [member("511133100201904", "吉克"), member(taken, "阿依")])  # fmt: skip
    monkeypatch.setattr(importer, "_existing", lambda model, column, values: [])  # the check saw nothing yet
    before = counts()
    with pytest.raises(Conflict) as e:
        household_import(actor=world.t1, data=data, filename="户.xlsx")
    assert "未导入任何数据" in e.value.zh and "nothing imported" in e.value.en
    assert counts() == before and not Household.objects.filter(number="511133100201904").exists()
