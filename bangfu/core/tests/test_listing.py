"""The list kit (bangfu/core/listing.py) and the place a list is narrowed to (areas.selectors.Place)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from bangfu.areas import selectors as areas
from bangfu.areas.models import Area
from bangfu.core.errors import ApplicationError, NotFound
from bangfu.core.listing import Filter, Listing

STATUS = Filter("status", "状态", [("open", "待处理"), ("done", "已办结")])


def _listing(query: str = "", **kw: object) -> Listing:
    request = RequestFactory().get(f"/things/?{query}")
    return Listing(request, sorts={"date": ("created",), "name": ("name",)}, default_sort="-date", **kw)  # type: ignore[arg-type]


def test_links_keep_the_area_and_filters_and_go_back_to_page_one() -> None:
    listing = _listing("village=230225102201&status=open&page=3", filters=[STATUS])
    assert listing.value("status") == "open"
    assert listing.url(status="done") == "/things/?village=230225102201&status=done"
    assert listing.url(page=4) == "/things/?village=230225102201&status=open&page=4"
    listing.chip("永利村", "village")
    assert listing.chips[0].remove_url == "/things/?status=open"
    assert ("village", "230225102201") in listing.kept()


def test_sorting_accepts_only_the_declared_columns() -> None:
    assert _listing("sort=name").sort == "name"
    assert _listing("sort=password").sort == "-date"  # an unknown column: the default order
    links = _listing("sort=-name").sorts
    assert links["name"].direction == "descending" and links["name"].url.endswith("sort=name")
    assert links["date"].direction == ""


def test_a_filter_value_not_offered_is_a_clear_400() -> None:
    with pytest.raises(ApplicationError) as exc:
        _listing("status=deleted", filters=[STATUS])
    assert exc.value.status == 400 and "状态" in exc.value.zh and "status" not in exc.value.zh


@pytest.mark.django_db
def test_page_numbers_show_both_ends_and_the_neighbourhood(world) -> None:
    empty = Listing(RequestFactory().get("/a/?page=7"), sorts={"code": ("code",)}, default_sort="code")
    assert empty.page(Area.objects.none()).number == 1  # past the end: the last page there is
    assert empty.page_links == []
    for i in range(130):
        Area.objects.create(code=f"9{i:011d}", name=f"a{i}", level="village")
    listing = Listing(RequestFactory().get("/a/?page=7"), sorts={"code": ("code",)}, default_sort="code", per_page=10)
    page = listing.page(Area.objects.filter(code__startswith="9"))
    assert page.number == 7
    numbers = [link.number for link in listing.page_links]
    assert numbers[:2] == [1, 2] and numbers[-2:] == [12, 13] and None in numbers
    assert [n for n in numbers if n and 4 < n < 10] == [5, 6, 7, 8, 9]
    html = render_to_string("_pager.html", {"listing": listing})
    assert "共 130 条" in html and 'aria-current="page">7<' in html


def test_a_private_search_stays_out_of_the_url() -> None:
    request = RequestFactory().post("/people/?area=230225000000", {"q": "230225199001011234"})
    listing = Listing(request, sorts={"name": ("name",)}, default_sort="name", private_search=True)
    assert listing.q == "230225199001011234"
    assert "1234" not in listing.url(page=2)
    assert 'method="post"' in render_to_string("_list_controls.html", {"listing": listing, "csrf_token": "x"})


def test_a_place_select_with_one_place_is_not_offered_but_other_selects_are() -> None:
    one_grid = Filter("grid", "网格", [("7", "永利村第1网格")], places=True)
    one_status = Filter("status", "状态", [("done", "已办结")])  # 已办结 alone still narrows the list
    listing = _listing(filters=[one_grid, one_status])
    assert [f.name for f, _v in listing.selects] == ["status"]
    chosen = _listing("grid=7", filters=[one_grid])  # chosen by the link: shown, so it can be changed
    assert [f.name for f, _v in chosen.selects] == ["grid"] and chosen.chosen == 1
    two = Filter("grid", "网格", [("7", "第1网格"), ("8", "第2网格")], places=True)
    assert [f.name for f, _v in _listing(filters=[two]).selects] == ["grid"]


def test_the_selects_fold_behind_a_summary_that_counts_the_chosen_ones() -> None:
    html = render_to_string("_list_controls.html", {"listing": _listing("status=open", filters=[STATUS])})
    assert '<details class="list-filters" data-open-wide><summary>筛选条件（1）</summary>' in html
    assert 'name="status"' in html.split("<details", 1)[1]
    bare = render_to_string("_list_controls.html", {"listing": _listing(filters=[], search="户主姓名")})
    assert "<details" not in bare and 'name="q"' in bare  # nothing to fold: the search alone


@pytest.mark.django_db
def test_the_place_comes_from_any_of_the_link_parameters(world) -> None:
    for param, value in (("area", world.v1a.code), ("village", world.v1a.code), ("township", world.area_t1.code)):
        place = areas.place_in_query(world.county, {param: value})
        assert place is not None and world.v1a.code.startswith(place.prefix)
    assert "羊店儿村" in areas.place_in_query(world.county, {"village": world.v1a.code}).name  # type: ignore[union-attr]
    place = areas.place_in_query(world.county, {"grid": str(world.g1.pk)})
    assert place is not None and place.grid_id == world.g1.pk
    assert areas.place_in_query(world.county, {}) is None


@pytest.mark.django_db
def test_a_place_outside_the_users_areas_reveals_nothing(world) -> None:
    with pytest.raises(NotFound):
        areas.place_in_query(world.t1, {"area": world.v2a.code})  # the other township's village
    with pytest.raises(NotFound):
        areas.place_in_query(world.t1, {"grid": str(world.g3.pk)})
    with pytest.raises(NotFound):
        areas.place_in_query(world.t1, {"grid": "abc"})
