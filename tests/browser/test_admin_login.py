"""Staff sign into the admin in a real browser and find the records they curate."""

import re

from playwright.sync_api import expect


def test_staff_log_in_and_see_the_records_they_curate(page, admin_user, screenshot):
    page.goto("/admin/")
    # Not signed in: the admin sends them to its login form.
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Records, sources and vocabularies")).to_be_visible()
    records = page.locator(".app-incidents")
    expect(records.get_by_role("link", name="Incident records")).to_be_visible()
    for model in ("Incidents", "Detainee groups", "Figures", "Allegations", "Citations"):
        expect(records.get_by_role("link", name=model, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(page, "admin-index")


def test_a_wrong_password_is_refused_on_the_form(page, admin_user):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator(".errornote")).to_contain_text("Please enter the correct username")
    expect(page).to_have_url(re.compile(r"/admin/login/"))


def test_the_admin_is_styled(page, live_url):
    """The live server serves the admin's static files: the page is styled, not bare HTML."""
    page.goto("/admin/login/")
    stylesheet = page.request.get(live_url("/static/admin/css/base.css"))
    assert stylesheet.status == 200
    assert stylesheet.headers["content-type"].startswith("text/css")
    # base.css paints the header; unstyled, it would be transparent.
    expect(page.locator("#header")).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
