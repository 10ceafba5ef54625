"""Settings come from the environment only; production must be explicit about its secret."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hrflow_dash.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def _manage(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "HRFLOW_DASH_VAR_DIR": str(tmp_path / "var")}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_secret_key_with_debug_off_is_a_startup_error(tmp_path: Path) -> None:
    result = _manage(["check"], {}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_on_runs_without_a_secret_key(tmp_path: Path) -> None:
    result = _manage(["check"], {"DJANGO_DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_check_deploy_passes_under_the_documented_production_environment(tmp_path: Path) -> None:
    env = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL": "1",
        "HRFLOW_DASH_DEMO": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_an_insecure_configuration(tmp_path: Path) -> None:
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"], {"DJANGO_SECRET_KEY": "short"}, tmp_path
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr + result.stdout


def test_env_helpers_parse_and_reject(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", " a, b ,,c ")
    monkeypatch.setenv("X_EMPTY", "")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST") == ["a", "b", "c"]
    assert env_str("X_EMPTY", "fallback") == "fallback"
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "4.2")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)
