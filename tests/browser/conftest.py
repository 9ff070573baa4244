"""Real-browser tests: Playwright drives the system's Chromium against pytest-django's live server.

No browser is downloaded: ``CHROMIUM`` (default ``/usr/bin/chromium``) must exist, or
every test here is skipped with the reason. One browser runs for the whole package;
each test gets a fresh context (no cookies, no storage) and page.

Fixtures for tests in this package:

- ``live_url(path)``: the absolute URL of ``path`` on the live server (``page.goto``
  takes paths too: the context's base URL is the live server).
- ``page``: a new page in a new context, signed out; ``browser_locale`` (default "en")
  is its language: ``@pytest.mark.parametrize("browser_locale", ["es"])``.
- ``log_in(page, username, password)``: signs in through the admin's own login form.
- ``admin_page``: a page signed into the admin as ``admin_user`` (pytest-django's superuser).
- ``screenshot(page, name)``: saves ``docs/screenshots/<name>.png`` when ``SCREENSHOTS=1``.
- ``browser``: the package's one Chromium, for a test that needs a context of its own.

Every context made from ``browser`` (the ``page`` fixture's and a test's own) reports
Content-Security-Policy violations: any one fails the test at teardown, listing them
(``csp_violations``). A page that works only because the policy is not enforced fails.

``tests.browser.helpers.choose_autocomplete`` picks a record in an admin autocomplete.

The live server commits to the test database, so these tests are transactional; the
data the migrations hold (vocabulary terms) is put back after each (serialized rollback).
"""

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
# Generous for a loaded CI machine; a passing step takes milliseconds.
TIMEOUT_MS = 10_000
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def pytest_collection_modifyitems(config, items):
    """Without the browser every test here is skipped, saying why (not an error per test).

    Playwright itself is a dev dependency (``pip install -e '.[dev]'``); only the
    browser comes from the system, as none is downloaded.
    """
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM} (set CHROMIUM to its path)"
    )
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


@contextmanager
def _django_beside_an_event_loop() -> Iterator[dict]:
    """Let the tests' own Django code run while Playwright's event loop is running.

    Playwright's sync API keeps an asyncio event loop marked as running in this
    thread between its calls, for as long as Playwright is started. To Django, this
    thread then looks like async code, which changes two things for the ORM calls
    the tests make (their set-up and checks, pytest-django's flush after each test):

    - every call raises SynchronousOnlyOperation, though nothing runs concurrently
      (the loop only waits for the browser): DJANGO_ALLOW_ASYNC_UNSAFE lifts that
      check, and only while the loop exists, so the rest of the suite keeps it;
    - connections are looked up per async context, no longer per thread, so Django
      would open new ones, without what the test database's set-up left on the
      thread's connections (the data a serialized rollback restores: without it the
      vocabulary terms are gone after the first test) and never closed. The thread's
      connections are put in that context too, and taken out before the loop ends.

    The live server answers in a thread of its own, with no event loop.
    """
    from django.db import connections

    thread_connections = {alias: connections[alias] for alias in connections}
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield thread_connections
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One headless Chromium for every test in the package (Playwright starts once)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with _django_beside_an_event_loop() as thread_connections, sync_playwright() as playwright:
        # Now inside the loop's context (see _django_beside_an_event_loop).
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            new_context = chromium.new_context

            def new_watched_context(*args, **kwargs):
                context = new_context(*args, **kwargs)
                _watch_csp(context)
                return context

            chromium.new_context = new_watched_context
            yield chromium
            chromium.close()
        finally:
            for alias in thread_connections:
                del connections[alias]


# Content-Security-Policy violations reported by the pages of the running test.
_CSP_VIOLATIONS: list[str] = []
# Each document reports every violation (a blocked script, style, image, frame, eval)
# to the test, as it happens; installed before any script of the page runs.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations = (window.__cspViolations || 0) + 1;
  window.__reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} on ${location.href}`
    + (event.sourceFile ? ` (${event.sourceFile}:${event.lineNumber})` : "")
    + (event.sample ? `: ${event.sample}` : "")
  );
}, true);
"""


def _watch_csp(context) -> None:
    """Make every page of ``context`` report Content-Security-Policy violations."""

    def report(source, text):
        _CSP_VIOLATIONS.append(text)

    def on_console(message):
        # The browser's own words, for what no event reaches (a worker's violations).
        if "Content Security Policy" in message.text:
            _CSP_VIOLATIONS.append(f"console: {message.text}")

    context.expose_binding("__reportCspViolation", report)
    context.add_init_script(_CSP_LISTENER)
    context.on("console", on_console)


@pytest.fixture(autouse=True)
def csp_violations(request) -> Iterator[list[str]]:
    """The Content-Security-Policy violations of this test's pages; any fails it at teardown."""
    _CSP_VIOLATIONS.clear()
    yield _CSP_VIOLATIONS
    seen = list(dict.fromkeys(_CSP_VIOLATIONS))
    _CSP_VIOLATIONS.clear()
    report = getattr(request.node, "rep_call", None)
    if seen and not (report is not None and report.failed):
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(seen))


@pytest.fixture
def live_url(live_server, transactional_db, django_db_serialized_rollback) -> Callable[[str], str]:
    """``live_url("/admin/")``: the absolute URL of a path on the live server.

    Requesting the live server makes the test transactional (the server's thread
    must see what the test commits); the serialized rollback restores the
    migrations' data (vocabulary terms), which the flush after each test removes.
    """

    def url(path: str = "/") -> str:
        return live_server.url + path

    return url


@pytest.fixture
def browser_locale() -> str:
    """The language the browser asks for (Accept-Language, navigator.language).

    Override per test with ``@pytest.mark.parametrize("browser_locale", ["es"])``.
    """
    return "en"


@pytest.fixture
def page(browser, live_url, browser_locale, request, tmp_path) -> Iterator:
    """A new page in a fresh context, with a fixed viewport and ``browser_locale``.

    Uncaught JavaScript errors and static files the server fails to serve (a
    missing stylesheet or script) fail the test at teardown: the screens would
    pass the assertions yet be broken for users. When a test fails, a picture of
    the page is saved in its tmp_path (the path is printed with the failure).
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport=VIEWPORT, locale=browser_locale, base_url=live_url(""))
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    problems = []

    def on_page_error(error):
        problems.append(f"JavaScript error on {new_page.url}: {error}")

    def on_response(response):
        if "/static/" in response.url and response.status >= 400:
            problems.append(f"{response.status} for {response.url}")

    def on_request_failed(failed_request):
        # Requests still in flight when the page moves on or closes are cancelled
        # (net::ERR_ABORTED): the browser's doing, not the server's.
        if "/static/" in failed_request.url and failed_request.failure != "net::ERR_ABORTED":
            problems.append(f"{failed_request.failure} for {failed_request.url}")

    new_page.on("pageerror", on_page_error)
    new_page.on("response", on_response)
    new_page.on("requestfailed", on_request_failed)
    yield new_page

    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    if failed:
        path = tmp_path / "failure.png"
        new_page.screenshot(path=path, full_page=True)
        print(f"Screenshot of the page when the test failed: {path}")
    seen = list(problems)  # what happened during the test, not while closing
    context.close()
    if seen and not failed:
        pytest.fail("The browser reported problems:\n" + "\n".join(seen))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so ``page`` knows at teardown if the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def log_in() -> Callable:
    """``log_in(page, username, password)``: signs in through the admin login form, as staff do.

    The fields are found by their ids, not their labels, so it works in every language.
    """
    from playwright.sync_api import expect

    def sign_in(page, username: str, password: str) -> None:
        page.goto("/admin/login/?next=/admin/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("#login-form [type=submit]").click()
        expect(page).to_have_url(re.compile(r"/admin/$"))

    return sign_in


@pytest.fixture
def admin_page(page, admin_user, log_in):
    """A page signed into the admin as ``admin_user`` (username "admin", password "password")."""
    log_in(page, admin_user.username, "password")
    return page


@pytest.fixture
def screenshot() -> Callable:
    """``screenshot(page, name)``: ``docs/screenshots/<name>.png``, only when ``SCREENSHOTS=1``.

    Ordinary runs leave the worktree alone; ``SCREENSHOTS=1 pytest tests/browser``
    refreshes the documentation's pictures. The whole page by default;
    ``full_page=False`` keeps to what the viewport shows (scroll there first);
    a locator (``page.locator("#incident-chart")``) takes just that element.
    """

    def take(page, name: str, *, full_page: bool = True) -> None:
        if os.environ.get("SCREENSHOTS") != "1":
            return
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        if hasattr(page, "screenshot") and not hasattr(page, "goto"):
            page.screenshot(path=path)  # a locator: the element alone
        else:
            page.screenshot(path=path, full_page=full_page)

    return take
