"""Alerts tests: a real SMTP server (aiosmtpd, the demo mail sink's own code) on a free port of
127.0.0.1, Django's SMTP backend pointed at it; the saved-search fake fetcher for tests that
are not about HrFlow (tests/saved_searches/fakes.py), the live sandbox for those that are."""

from __future__ import annotations

import email
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from alerts.mailsink import StoreMessages, start_sink
from saved_searches.models import AlertMode, SavedSearch
from saved_searches.services.refresh import Outcome, saved_search_refresh
from tests.integration.tcprelay import free_port
from tests.saved_searches import fakes
from tests.saved_searches.conftest import FAKE_FETCHER, QUERY, make_due, make_search

__all__ = ["QUERY", "make_search"]


@dataclass
class Sink:
    folder: Path
    port: int
    handler: StoreMessages

    def messages(self) -> list[EmailMessage]:
        out = []
        for path in sorted(self.folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
            assert isinstance(message, EmailMessage)
            out.append(message)
        return out


def smtp_mailer(port: int, *, timeout: float = 10) -> dict[str, Any]:
    options = {"host": "127.0.0.1", "port": port, "timeout": timeout, "use_tls": False, "use_ssl": False}
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


@pytest.fixture
def smtp_sink(tmp_path: Path, settings: Any) -> Iterator[Sink]:
    folder = tmp_path / "mail"
    port = free_port()
    controller, handler = start_sink(folder=folder, port=port)
    settings.MAILERS = smtp_mailer(port)
    settings.ALERTS_MAIL_DIR = str(folder)
    settings.ALERTS_SEND_MAX_WAIT_SECONDS = 5
    try:
        yield Sink(folder=folder, port=port, handler=handler)
    finally:
        handler.released.set()
        controller.stop()


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db") is not None:
        cache.clear()


@pytest.fixture
def fake_upstream(settings: Any) -> Iterator[Any]:
    settings.SAVED_SEARCH_FETCHER = FAKE_FETCHER
    # No HrFlow here: the candidate's profile read (matched skills) fails fast and is skipped.
    settings.HRFLOW_API_URL = f"http://127.0.0.1:{free_port()}/v1/"
    settings.HRFLOW_RETRY_TOTAL_SECONDS = 0
    fakes.reset()
    yield fakes
    fakes.reset()


@pytest.fixture
def recruiter(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("rita", email="rita@example.com", password="pw-rita-123")


def refresh_with(search: SavedSearch, *keys_scores: tuple[str, float]) -> None:
    """One successful refresh whose results are `keys_scores`, best first."""
    fakes.answers.append(list(keys_scores))
    make_due(search)
    assert saved_search_refresh(search_id=search.pk) == Outcome.SUCCEEDED


def alerting_search(
    owner: Any, *, mode: str = AlertMode.EACH_REFRESH, name: str = "Python jobs"
) -> SavedSearch:
    return make_search(owner, name=name, alert_mode=mode)
