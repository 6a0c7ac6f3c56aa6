"""axe-core on the rep console with its live updates held still.

Other tests leave hand-offs in the shared e2e database and the queue follows them live (an
event stream): a card arriving while axe measures the page moves what it is measuring, and
axe then reports text "overlapped" by something that was not there a moment before.  So the
console's checks pause live updates (console_live.js's test hook, `window.ConsoleLive`) and wait
until nothing is on its way (`body[data-live="paused"]`: no load or refresh in flight) before
running axe, then resume; what arrived meanwhile is applied then.  A condition, never a sleep.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, expect

from tests.support.accessibility import axe_violations


@contextmanager
def live_paused(page: Page) -> Iterator[None]:
    """The console page with live updates held and every load or refresh landed."""
    page.evaluate("window.ConsoleLive.pause()")
    try:
        # (An attribute to wait on, not wait_for_function: the console's CSP forbids eval.)
        expect(page.locator("body")).to_have_attribute("data-live", "paused", timeout=30_000)
        yield
    finally:
        page.evaluate("window.ConsoleLive.resume()")


def console_axe(page: Page) -> list[str]:
    """What axe-core finds wrong with the console page ([] when nothing), checked while still."""
    with live_paused(page):
        return axe_violations(page)
