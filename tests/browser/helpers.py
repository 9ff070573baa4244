"""What browser tests do on admin pages more than once."""

from playwright.sync_api import Page, expect


def choose_autocomplete(page: Page, field_id: str, search: str, option: str | None = None) -> None:
    """Pick a record in one of the admin's autocomplete fields (select2), as staff do.

    Opens the field ``#<field_id>``, types ``search`` and clicks the suggestion whose
    text contains ``option`` (default: ``search``). The clicks wait for the server's
    suggestions; nothing sleeps.
    """
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    option = option or search
    page.locator(".select2-container--open .select2-results__option", has_text=option).click()
    expect(page.locator(f"#select2-{field_id}-container")).to_contain_text(option)
