from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def user_client(db: None) -> Client:
    """A logged-in recruiter (test modules may define their own)."""
    user = get_user_model().objects.create_user("recruiter", password="pw-for-tests")
    client = Client()
    client.force_login(user)
    return client
