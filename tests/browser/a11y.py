"""axe-core (shipped offline inside axe-playwright-python) run on a Playwright page."""

from __future__ import annotations

import json
from pathlib import Path

import axe_playwright_python

AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page) -> dict:
    """axe results for the WCAG 2.1 A and AA rules.

    page.evaluate runs through the DevTools protocol, which the page's Content-Security-Policy
    (script-src 'self') does not apply to: the CSP stays enforced, so a CSP violation by the
    page itself still shows up as a console error.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate(f"() => axe.run(document, {json.dumps(options)})")


def describe_violations(results: dict) -> list[str]:
    """One readable block per violation: rule id, impact, help, and each node's target."""
    blocks = []
    for violation in results["violations"]:
        lines = [
            f"{violation['id']} ({violation.get('impact')}): {violation['help']} "
            f"— {violation['helpUrl']}"
        ]
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      at {target}: {summary}")
            lines.append(f"         {node.get('html', '')[:160]}")
        blocks.append("\n".join(lines))
    return blocks
