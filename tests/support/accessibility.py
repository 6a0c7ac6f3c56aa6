"""axe-core in the browser tests: the accessibility rules a page breaks, as readable lines.

axe-core is vendored (tests/support/vendor/axe-core: the npm package's `axe.min.js`, pinned
and checked by its SHA-256, with its MPL-2.0 licence); it is run with `page.evaluate`, which
the page's Content-Security-Policy does not apply to, so the console keeps its strict policy
while it is checked.
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


@functools.cache
def _axe_script() -> str:
    script = AXE_FILE.read_bytes()
    assert hashlib.sha256(script).hexdigest() == AXE_SHA256, f"{AXE_FILE} is not the pinned axe-core"
    return script.decode()


def _describe(violation: dict[str, Any]) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


def axe_violations(page: Page) -> list[str]:
    """What axe-core finds wrong with the page as it is now ([] when nothing)."""
    page.evaluate(_axe_script())
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        RULE_TAGS,
    )
    return [_describe(violation) for violation in results["violations"]]
