"""What browser tests share: Debian's Chromium, the phone viewport, signing in."""

from typing import Any

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 375, "height": 667}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def sign_in(page: Any, base_url: str, email: str, password: str = "kizuna-demo") -> None:  # noqa: S107
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form.login button[type=submit]").click()
    page.wait_for_load_state()
