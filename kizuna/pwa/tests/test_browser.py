"""At phone size in Chromium: Kizuna meets the install criteria, and a page that cannot be reached offline shows
the offline page from the worker's cache."""

import time
from typing import Any

import pytest

from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(page: Any, script: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({script})"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


def test_a_rep_can_install_kizuna_and_its_worker_controls_the_pages(cast: Any, live_server: Any, phone: Any) -> None:
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == f"{base}/sw.js"

    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == f"{base}/manifest.webmanifest" and not manifest["errors"], manifest
    # Chromium's own install check: manifest, icons, start URL, worker. Nothing missing but a real profile
    # (Playwright's contexts are incognito ones, where nothing installs).
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors] == ["in-incognito"], errors

    # The shell is kept: offline, a page shows the offline page in the rep's language.
    page.context.set_offline(True)
    page.goto(f"{base}/me/")
    assert page.locator("h1").inner_text() == "オフラインです"
    assert page.evaluate("getComputedStyle(document.body).fontFamily")  # the kept stylesheet applies
    page.context.set_offline(False)
