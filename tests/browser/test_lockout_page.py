"""A colleague who mistyped their password too often sees why they cannot sign in."""

import re

import pytest
from playwright.sync_api import expect


def try_to_sign_in(page, username: str, password: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#login-form [type=submit]").click()


@pytest.mark.parametrize(
    ("browser_locale", "locked", "wait"),
    [
        ("en", "this account or this address is locked out", "Try again in 15 minutes."),
        ("es", "esta cuenta o esta dirección queda bloqueada", "dentro de 15 minutos"),
    ],
)
def test_a_locked_out_colleague_is_told_why_and_for_how_long(
    page, admin_user, browser_locale, locked, wait
):
    for _ in range(4):
        try_to_sign_in(page, admin_user.username, "not the password")
        expect(page.locator(".errornote")).to_be_visible()
    try_to_sign_in(page, admin_user.username, "not the password")
    expect(page.locator("#locked-out")).to_contain_text(locked)
    expect(page.locator("#locked-out")).to_contain_text(wait)

    # The right password is refused too, until the lockout ends.
    try_to_sign_in(page, admin_user.username, "password")
    expect(page.locator("#locked-out")).to_contain_text(locked)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
