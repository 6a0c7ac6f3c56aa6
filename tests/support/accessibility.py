"""axe-core in the browser tests: the accessibility rules a page breaks, as readable lines.

axe-core is vendored (tests/support/vendor/axe-core: the npm package's `axe.min.js`, pinned
and checked by its SHA-256, with its MPL-2.0 licence); it is run with `page.evaluate`, which
the page's Content-Security-Policy does not apply to, so the console keeps its strict policy
while it is checked.

Colour contrast axe cannot decide counts as a failure, so contrast is never skipped in silence.
axe leaves it undecided ("needs review") in two cases that say nothing about the colours:
text partly scrolled out of its scrolling box (the chat log, the console transcript), and text
in an element floating over the page (the chat widget), where the page under each line differs.
Those elements are checked once more, one by one: scrolled into view, with any fixed bar that
floats over the page hidden, and, inside the overlay, with the page under it hidden (the widget
is opaque: the page under it never shows through).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_FILE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"  # axe-core 4.10.3

# WCAG 2.1 A and AA, and axe's best practices.
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# The chat widget's host element (assistant/api/static/widget.js): an opaque overlay.
WIDGET = "#frontdesk-chat-widget"

# Runs axe over the whole document, then each node whose colour contrast it left undecided
# again on its own (see the module docstring).  Returns {violations, undecided}.
#
# Only media is preloaded: to read the widget's stylesheet (in a shadow root) axe would copy it
# into an inline <style>, which the page's CSP rightly refuses, and the tests count refusals.
# The one rule that needs the stylesheets (css-orientation-lock) is experimental: not run here.
RUN_AXE = """async ({tags, overlay}) => {
  const preload = {assets: ["media"]};
  const options = {preload, runOnly: {type: "tag", values: tags}, resultTypes: ["violations", "incomplete"]};
  const first = await axe.run(document, options);
  // A target is selectors, each a string or, into shadow roots, a list from the host down.
  const find = (target) => target.reduce((scope, part) => (typeof part === "string" ? [part] : part)
    .reduce((root, selector) => root && (root.shadowRoot || root).querySelector(selector), scope), document);
  const overlayHost = overlay ? document.querySelector(overlay) : null;
  const undecided = [];
  const violations = first.violations;
  const unsure = first.incomplete.filter((result) => result.id === "color-contrast");
  for (const node of unsure.flatMap((result) => result.nodes)) {
    const element = find(node.target);
    if (!element) { undecided.push(node); continue; }
    element.scrollIntoView({block: "center", inline: "nearest"});
    let host = element;
    while (host.getRootNode() instanceof ShadowRoot) host = host.getRootNode().host;
    const hidden = [];
    if (overlayHost && host === overlayHost) {
      for (const other of document.body.children) {
        if (other === overlayHost) continue;
        hidden.push([other, other.style.visibility]);
        other.style.visibility = "hidden";
      }
    }
    // A fixed bar (the console's status line) floats over whatever scrolls under it, like the
    // overlay: it is checked on its own, and hidden while the text it happens to cover is.
    for (const bar of document.querySelectorAll("body *")) {
      if (bar.contains(host) || getComputedStyle(bar).position !== "fixed") continue;
      hidden.push([bar, bar.style.visibility]);
      bar.style.visibility = "hidden";
    }
    try {
      const again = await axe.run(element, {preload, runOnly: {type: "rule", values: ["color-contrast"]},
                                            resultTypes: ["violations", "incomplete"]});
      for (const result of again.violations) violations.push(result);
      for (const result of again.incomplete) {
        for (const left of result.nodes) {
          // Say what lies over it, so a failure names the element to look at.
          const box = element.getBoundingClientRect();
          const over = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2)[0];
          left.over = over ? `${over.tagName.toLowerCase()}#${over.id}.${[...over.classList].join(".")}` : "";
          undecided.push(left);
        }
      }
    } finally {
      for (const [other, visibility] of hidden) other.style.visibility = visibility;
    }
  }
  return {violations, undecided};
}"""


@functools.cache
def _axe_script() -> str:
    script = AXE_FILE.read_bytes()
    assert hashlib.sha256(script).hexdigest() == AXE_SHA256, f"{AXE_FILE} is not the pinned axe-core"
    return script.decode()


def _selector(target: list[str | list[str]]) -> str:
    """axe's target for a node: selectors, or inside a shadow root a list of selectors from the
    host down (the widget lives in one), shown as `host >> inner`."""
    return " ".join(part if isinstance(part, str) else " >> ".join(part) for part in target)


def _describe(violation: dict[str, Any]) -> str:
    targets = ", ".join(_selector(node["target"]) for node in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


def _describe_undecided(node: dict[str, Any]) -> str:
    reasons = "; ".join(check["message"] for check in node["any"]) or "no reason given"
    related = [_selector(item["target"]) for check in node["any"] for item in check.get("relatedNodes", [])]
    if related:
        reasons += f" (by {', '.join(related)})"
    over = f" (topmost there: {node['over']})" if node.get("over") else ""
    return f"color-contrast (undecided): {reasons} at {_selector(node['target'])}{over}"


def axe_violations(page: Page, overlay: str | None = None) -> list[str]:
    """What axe-core finds wrong with the page as it is now ([] when nothing), colour contrast
    it could not decide included.  `overlay`: the selector of an opaque element floating over
    the page (`WIDGET` on a page with the chat widget)."""
    page.evaluate(_axe_script())
    results = page.evaluate(RUN_AXE, {"tags": RULE_TAGS, "overlay": overlay})
    found = [_describe(violation) for violation in results["violations"]]
    return found + [_describe_undecided(node) for node in results["undecided"]]
