"""tests/support/accessibility.py itself, on small pages of its own in the real browser (no stack):
it reports what axe finds, counts colour contrast axe could not decide as a failure, and decides
it where the cause is only layout (text partly scrolled away, or in an opaque overlay such as the
chat widget floating over the page)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.support.accessibility import axe_violations

FRAME = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Check</title></head>
<body><main><h1>Check</h1>{body}</main>{after}</body></html>"""

# A fixed, opaque panel in a shadow root, over page content whose colours change from one line
# of the panel's text to the next: what axe cannot decide without help.
OVERLAY = """<div id="overlay"></div><script>{  // a block: set_content keeps the window and its globals
const root = document.getElementById("overlay").attachShadow({mode: "open"});
const panel = document.createElement("section");
panel.setAttribute("aria-label", "Panel");
panel.style.cssText = "position:fixed;top:0;left:0;width:14rem;padding:1rem;background:#fff";
const text = document.createElement("p");
text.style.cssText = "margin:0;line-height:1.5rem;color:COLOUR";
text.textContent = "Several lines of text in a panel that floats above the page and its stripes.";
panel.append(text);
root.append(panel);
}</script>"""
STRIPES = "".join(
    f'<p style="margin:0;height:1.5rem;background:{colour}">stripe</p>' for colour in ["#fef3c7", "#dbeafe"] * 4
)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def show(page: Page, body: str, after: str = "") -> None:
    page.set_content(FRAME.format(body=body, after=after))


def test_a_clean_page_passes(page: Page) -> None:
    show(page, '<label for="name">Name</label><input id="name">')
    assert axe_violations(page) == []


def test_a_missing_label_and_poor_contrast_are_reported(page: Page) -> None:
    show(page, '<input id="name"><p style="color:#aaa;background:#fff">faint</p>')
    found = axe_violations(page)
    assert [line.split(" ")[0] for line in found] == ["color-contrast", "label"], found
    assert found[1].endswith("at #name")


def test_contrast_axe_cannot_decide_is_a_failure(page: Page) -> None:
    show(page, '<p style="color:#000;background-image:linear-gradient(#000,#fff)">on a gradient</p>')
    assert [line.split(":")[0] for line in axe_violations(page)] == ["color-contrast (undecided)"]


def scroll_box(third_line: str) -> str:
    """Lines 1.5rem high in a box scrolled by 2.5 lines: the third is cut in half."""
    colours = ["#333", "#333", third_line] + ["#333"] * 27
    lines = "".join(f'<p style="margin:0;line-height:1.5rem;color:{c}">line {i}</p>' for i, c in enumerate(colours))
    return f'<div tabindex="0" aria-label="Box" style="height:6rem;overflow-y:auto;background:#fff">{lines}</div>'


SCROLL = "() => { document.querySelector('[aria-label=Box]').scrollTop = 60; }"


def test_text_partly_scrolled_away_is_decided_in_view(page: Page) -> None:
    show(page, scroll_box("#333"))
    page.evaluate(SCROLL)
    assert axe_violations(page) == []
    show(page, scroll_box("#aaa"))
    page.evaluate(SCROLL)
    assert [line.split(" ")[0] for line in axe_violations(page)] == ["color-contrast"]


def test_an_opaque_overlay_is_checked_against_its_own_background(page: Page) -> None:
    show(page, STRIPES, OVERLAY.replace("COLOUR", "#333"))
    assert [line.split(":")[0] for line in axe_violations(page)] == ["color-contrast (undecided)"]
    assert axe_violations(page, overlay="#overlay") == []
    show(page, STRIPES, OVERLAY.replace("COLOUR", "#aaa"))
    found = axe_violations(page, overlay="#overlay")
    assert [line.split(" ")[0] for line in found] == ["color-contrast"], found
    assert found[0].endswith("at #overlay >> p")
    assert page.evaluate("() => document.querySelector('main').style.visibility") == ""  # the page is back
