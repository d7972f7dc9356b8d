"""The accessibility check of the browser tests: axe-core on every page a journey opens.

axe-core, as shipped inside the axe-playwright-python package (no network), is added to every page
of a browser context before the page's own scripts. When a page has loaded it checks the page
against WCAG 2.0 and 2.1, levels A and AA, and hands its serious and critical violations to Python
through a binding. A journey's context is watched from start to end, so each page it visits is
checked; the page still open at the end is checked once more, after the journey's last action.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import axe_playwright_python

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def _axe_source() -> str:
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


_RUN_AXE = """
async () => {
  const options = {runOnly: {type: "tag", values: TAGS}, resultTypes: ["violations"]};
  const results = await axe.run(document, options);
  return results.violations
    .filter((violation) => IMPACTS.includes(violation.impact))
    .map((violation) => ({
      id: violation.id, impact: violation.impact, help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
}
""".replace("TAGS", json.dumps(AXE_TAGS)).replace("IMPACTS", json.dumps(sorted(BLOCKING_IMPACTS)))

_ON_LOAD = """
if (window.top === window) {
  window.addEventListener("load", () => setTimeout(async () => {
    let violations;
    try { violations = await (RUN)(); }
    catch (error) {
      violations = [{id: "axe-did-not-run", impact: "critical", help: String(error), nodes: []}];
    }
    const where = location.pathname + location.search;
    window.__mostaqlAxeReport(where, document.documentElement.lang, window.innerWidth, violations);
  }, 0));
}
""".replace("RUN", _RUN_AXE)


@dataclass
class AccessibilityWatch:
    """The serious or critical violations found on the pages of one browser context."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def record(self, url: str, language: str, width: int, violations: list[dict]) -> None:
        where = f"{url} ({language}, {width}px)"
        self.checked.append(where)
        for violation in violations:
            impact, rule, help_text = violation["impact"], violation["id"], violation["help"]
            self.problems.append(f"{where}: [{impact}] {rule}: {help_text} — {violation['nodes']}")

    def check_now(self, page) -> None:
        """Check the page as it is now (after the journey's last action on it)."""
        if page.is_closed() or page.url.startswith("about:"):
            return
        page.wait_for_load_state()
        language = page.evaluate("document.documentElement.lang")
        width = page.evaluate("window.innerWidth")
        path = page.evaluate("location.pathname + location.search")
        self.record(path, language, width, page.evaluate(_RUN_AXE))

    def assert_clean(self) -> None:
        assert not self.problems, "Accessibility (axe-core, WCAG 2.1 AA) violations:\n" + "\n".join(
            dict.fromkeys(self.problems)
        )


_AXE_SCRIPT: str | None = None


def watch_accessibility(context) -> AccessibilityWatch:
    """Check every page this browser context loads; read the result with .assert_clean()."""
    global _AXE_SCRIPT
    if _AXE_SCRIPT is None:
        _AXE_SCRIPT = _axe_source() + "\n" + _ON_LOAD
    watch = AccessibilityWatch()
    context.expose_binding(
        "__mostaqlAxeReport",
        lambda _source, url, language, width, violations: watch.record(url, language, width, violations),
    )
    context.add_init_script(script=_AXE_SCRIPT)
    return watch


def check_accessibility(page, watch: AccessibilityWatch) -> None:
    """Check the page now and fail at once on a serious or critical violation."""
    watch.check_now(page)
    watch.assert_clean()
