"""`make mutation` runs the suite in mutmut's copy of the project (mutants/): every local app the
settings install must be copied there, or that copy cannot even start (an app added to
INSTALLED_APPS but not to mutmut's lists broke `make mutation` once, unseen by `make test`)."""

import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_mutmut_copies_every_local_app() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    copied = {path.split("/")[0] for path in [*config["source_paths"], *config["also_copy"]]}
    local_apps = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()}
    assert local_apps, "no local app found: the test reads the wrong settings"
    assert local_apps - copied == set()
