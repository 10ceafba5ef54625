"""`make mutation` runs the suite in mutmut's copy of the project (mutants/): every local app the
settings install, and every local package the tests import, must be copied there, or that copy
cannot even start (apps and a test importing `benchmarks` added after mutmut's lists broke
`make mutation` once, unseen by `make test`)."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
IMPORT = re.compile(r"^\s*(?:from|import)\s+(\w+)", re.MULTILINE)


def _copied() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return {path.split("/")[0] for path in [*config["source_paths"], *config["also_copy"]]}


def test_mutmut_copies_every_local_app() -> None:
    local_apps = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()}
    assert local_apps, "no local app found: the test reads the wrong settings"
    assert local_apps - _copied() == set()


def test_mutmut_copies_every_local_package_the_tests_import() -> None:
    imported = {
        name
        for path in (ROOT / "tests").rglob("*.py")
        for name in IMPORT.findall(path.read_text(encoding="utf-8"))
        if (ROOT / name / "__init__.py").is_file() and name != "tests"
    }
    assert "scoring" in imported, "the scan found no local import: it reads the wrong files"
    assert imported - _copied() == set()
