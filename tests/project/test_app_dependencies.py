"""Apps depend one way (docs/architecture.md, "Search page extensions"): the search page
(`scoring`) never imports the apps that decorate it, and the HrFlow service layer
(`scoring/hrflow/`) imports neither the dashboard nor those apps. Read from the source with
`ast` (imports inside functions and `TYPE_CHECKING` blocks count too), and the search page's
templates name no saved-search template or URL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DECORATING_APPS = ("saved_searches", "alerts", "compare", "shortlists")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            names |= {
                arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            }
    return names


def offending(package: str, forbidden: tuple[str, ...]) -> list[str]:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    out = []
    for path in files:
        if "migrations" in path.parts:
            continue
        for name in sorted(imported_modules(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                out.append(f"{path.relative_to(ROOT)} imports {name}")
    return out


def test_the_search_app_does_not_import_the_apps_that_decorate_it() -> None:
    assert offending("scoring", DECORATING_APPS) == []


def test_saved_searches_and_preferences_do_not_import_the_alerts_that_build_on_them() -> None:
    # alerts → saved_searches, preferences: the refresh hands over through saved_searches.signals.
    assert offending("saved_searches", ("alerts",)) == []
    assert offending("preferences", ("alerts",)) == []


@pytest.mark.parametrize("package", ["saved_searches", "scoring", "preferences", "accounts", "ops"])
def test_other_apps_reach_shortlists_only_through_its_services(package: str) -> None:
    """Alerts, saved searches, …: `shortlists.services` (e.g. hidden_job_keys), never its models."""
    inner = ("shortlists.models", "shortlists.forms", "shortlists.views", "shortlists.search_page")
    assert offending(package, inner) == []


def test_the_hrflow_service_layer_sits_below_the_dashboard_and_its_extensions() -> None:
    layer = "scoring/hrflow"
    dashboard = (
        "scoring.views",
        "scoring.forms",
        "scoring.filters",
        "scoring.selectors",
        "scoring.extensions",
    )
    assert offending(layer, (*DECORATING_APPS, *dashboard, "sandbox")) == []


@pytest.mark.parametrize(
    "template", sorted((ROOT / "templates" / "scoring").glob("*.html")), ids=lambda p: p.name
)
def test_search_templates_name_no_decorating_app(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert [app for app in DECORATING_APPS if app in text] == []


def test_the_checker_sees_every_kind_of_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import saved_searches.models\n"
        "from saved_searches import selectors\n"
        "def f():\n    from saved_searches.forms import X\n"
        "import importlib\nimportlib.import_module('saved_searches.views')\n",
        encoding="utf-8",
    )
    assert {"saved_searches.models", "saved_searches", "saved_searches.forms", "saved_searches.views"} <= (
        imported_modules(probe)
    )
