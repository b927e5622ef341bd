"""A county officer logs in, searches, opens a household and edits it (Debian chromium)."""

import pytest
from playwright.sync_api import expect

from bangfu.registry.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_search_open_edit(world, browser_page):
    h1 = world.households["h1"]
    page = browser_page(world.t1)
    page.goto(page.base_url + "/registry/households/")
    assert h1.number in page.content()
    page.fill("input[name=q]", h1.head_name)
    page.click("form.list-controls button")
    # the search is posted, then the list reloads on its address: wait for the rows it leaves out.
    expect(page.locator("#rows")).not_to_contain_text(world.households["h2"].number)
    expect(page.locator("#rows")).to_contain_text(h1.number)
    page.click(f"text={h1.number}")
    page.wait_for_selector("text=家庭成员")
    assert h1.head_name in page.content()
    page.click("a.button:has-text('编辑')")
    page.fill("input[name=address]", "羊店儿村安置点2栋101")
    page.fill("input[name=reason]", "入户核实地址")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=羊店儿村安置点2栋101")
    assert "入户核实地址" in page.inner_text("#history")
    h1.refresh_from_db()
    assert h1.address == "羊店儿村安置点2栋101"


def test_field_errors_show_next_to_the_field(world, browser_page):
    page = browser_page(world.t1, viewport={"width": 360, "height": 740})
    page.goto(page.base_url + "/registry/households/new/")
    page.fill("input[name=number]", "511133100201777")
    page.fill("input[name=name]", "测试户主")
    page.fill("input[name=id_number]", "110105194912310021")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".errorlist")
    assert "校验位" in page.inner_text(".errorlist")
    assert not Household.objects.filter(number="511133100201777").exists()


def test_import_button_is_disabled_while_the_file_is_checked(world, browser_page, tmp_path):
    """A county's file takes tens of seconds: a second click must not send it again."""
    from bangfu.registry.importer import template_workbook

    path = tmp_path / "空模板.xlsx"
    path.write_bytes(template_workbook(world.t1))
    page = browser_page(world.t1)
    page.goto(page.base_url + "/registry/households/import/")
    posts = []  # each POST is counted and cancelled, so the page stays as the officer sees it while waiting

    def cancel_posts(route):
        if route.request.method == "POST":
            posts.append(route.request.url)
            route.abort("aborted")  # like a navigation still under way: no error page replaces the form
        else:
            route.continue_()

    page.route("**/registry/households/import/", cancel_posts)
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('检查并导入')", no_wait_after=True)
    button = page.locator("form[data-busy] button[type=submit]")
    expect(button).to_be_disabled()
    expect(page.locator(".busy-note")).to_be_visible()
    page.evaluate("() => document.querySelector('form[data-busy]').requestSubmit()")  # a second click
    page.wait_for_timeout(500)
    assert len(posts) == 1
