"""The skills and languages vocabulary (scoring/vocabulary.py): any-word matching, the order of
the sources, one vocabulary per HrFlow account, the bound, and recording after the response."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.signals import request_finished
from django.test import Client, RequestFactory

from scoring import vocabulary
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import JobPage, ScoringPayload
from scoring.models import VocabularyTerm
from scoring.views import search as views
from tests.scoring.test_views import PROFILE, SOURCE, FakeUpstream, make_job
from tests.scoring.test_views import upstream as upstream  # the shared fixture
from tests.scoring.test_views import user_client as user_client

pytestmark = pytest.mark.django_db
Q = f"?source_key={SOURCE}&profile_key={PROFILE}"
RARE = "Quokka husbandry"


@pytest.fixture(autouse=True)
def _empty_buffer(settings: Any) -> None:
    settings.VOCABULARY_FLUSH_SECONDS = 0  # every response flushes (production: every 10 s)
    vocabulary.flush()
    VocabularyTerm.objects.all().delete()


def test_any_word_case_insensitive_match() -> None:
    label = "Python (computer programming)"
    assert vocabulary.matches(label, "py")
    assert vocabulary.matches(label, "PROG")
    assert vocabulary.matches(label, "comp pyt")
    assert not vocabulary.matches(label, "thon")
    assert not vocabulary.matches(label, "py java")
    assert not vocabulary.matches(label, "  ")


def test_the_shipped_list_holds_the_demo_esco_labels() -> None:
    assert "Python (computer programming)" in vocabulary.shipped("skills")
    assert "English" in vocabulary.shipped("languages")


def test_a_results_page_records_its_skills_only_after_the_response(
    user_client: Client, upstream: FakeUpstream
) -> None:
    upstream.jobs = [make_job(0, skills=[{"name": RARE, "type": "hard"}], languages=[{"name": "Klingon"}])]
    request = RequestFactory().get("/" + Q)
    request.user = (
        user_client.session and __import__("django.contrib.auth").contrib.auth.get_user_model().objects.get()
    )
    request.htmx = False  # type: ignore[attr-defined]
    response = views.search(request)
    assert response.status_code == 200
    assert RARE in response.content.decode()
    assert not VocabularyTerm.objects.exists()  # nothing written while the response is built
    # What the WSGI server's close() of the response sends reaches this receiver (sending the
    # signal itself here would also run Django's close_old_connections on the test database).
    assert any(key[0] == "scoring.vocabulary.flush" for key, *_ in request_finished.receivers)
    vocabulary._flush_after_response()
    assert set(VocabularyTerm.objects.values_list("kind", "name", "count")) == {
        ("skills", RARE, 1),
        ("languages", "Klingon", 1),
        ("tags", "company:Acme", 1),  # the tags as URL tokens, for the tag pickers
        ("tags", "remote:true", 1),
    }
    assert sorted(vocabulary.tag_names()) == ["company", "remote"]
    assert vocabulary.tag_values("remote", "") == [
        {"value": "remote:true", "text": "true (1 seen)", "label": "remote: true", "group": "seen"}
    ]
    # The test client closes its responses the same way: a second page counts again.
    user_client.get("/" + Q)
    assert VocabularyTerm.objects.get(kind="skills", name=RARE).count == 2
    assert [o["value"] for o in vocabulary.suggest("skills", "quok")] == [RARE]


def test_suggestions_come_candidate_first_then_seen_then_shipped(
    user_client: Client, upstream: FakeUpstream
) -> None:
    upstream.jobs = [make_job(0, skills=[{"name": "Python scripting", "type": "hard"}])]
    user_client.get("/" + Q)
    options = vocabulary.suggest("skills", "py", candidate=("PyTorch", "Rust"))
    groups = [o["group"] for o in options]
    assert options[0] == {"value": "PyTorch", "text": "PyTorch", "group": "candidate"}
    assert options[1]["value"] == "Python scripting"
    assert options[1]["group"] == "seen"
    assert "Python (computer programming)" in [o["value"] for o in options if o["group"] == "shipped"]
    assert groups == sorted(groups, key=["candidate", "seen", "shipped"].index)
    assert len({o["value"].casefold() for o in options}) == len(options)


def test_the_endpoint_puts_the_candidates_own_matching_skills_first(
    user_client: Client, upstream: FakeUpstream
) -> None:
    body = user_client.get(
        "/vocabulary/", {"kind": "skills", "q": "py", "source_key": SOURCE, "profile_key": PROFILE}
    ).json()
    assert body["options"][0] == {"value": "Python", "text": "Python", "group": "candidate"}
    assert "Python (computer programming)" in [o["value"] for o in body["options"]]
    bad = user_client.get("/vocabulary/", {"kind": "nope", "q": "py"})
    assert bad.status_code == 400
    assert bad.json()["code"] == 400


def test_one_vocabulary_per_account(settings: Any, user_client: Client, upstream: FakeUpstream) -> None:
    upstream.jobs = [make_job(0, skills=[{"name": RARE, "type": "hard"}])]
    user_client.get("/" + Q)
    assert [o["value"] for o in vocabulary.suggest("skills", "quokka")] == [RARE]
    settings.HRFLOW_API_KEY = "ask_" + "9" * 32
    assert vocabulary.suggest("skills", "quokka") == []
    assert settings.HRFLOW_API_KEY not in vocabulary.account_id()


def test_the_vocabulary_is_bounded_least_seen_dropped(settings: Any) -> None:
    settings.VOCABULARY_MAX_TERMS = 3

    class Job:
        def __init__(self, *names: str) -> None:
            self.skills = [type("S", (), {"name": n})() for n in names]
            self.languages = ()

    vocabulary.note_seen([Job("a1", "b1", "c1", "d1", "e1"), Job("a1", "b1", "c1")])
    vocabulary.flush()
    assert sorted(VocabularyTerm.objects.values_list("name", flat=True)) == ["a1", "b1", "c1"]


def test_a_busy_process_flushes_once_per_interval(
    settings: Any, user_client: Client, upstream: FakeUpstream
) -> None:
    settings.VOCABULARY_FLUSH_SECONDS = 3600
    vocabulary._last_flush[0] = float("-inf")  # not 0: time.monotonic() may be < 3600 (uptime)
    upstream.jobs = [make_job(0, skills=[{"name": RARE, "type": "hard"}])]
    user_client.get("/" + Q)  # the first response of the interval writes
    user_client.get("/" + Q + "&page=2")  # the next ones (other answers) only buffer
    assert VocabularyTerm.objects.get(kind="skills", name=RARE).count == 1
    assert vocabulary.flush() > 0
    assert VocabularyTerm.objects.get(kind="skills", name=RARE).count == 2


def test_an_answer_shown_again_is_counted_once() -> None:
    """A reload, Back or Details shows the same upstream answer (the same stamp): counted once."""
    query = JobQuery(board_keys=("b",), source_key=SOURCE, profile_key=PROFILE)
    jobs = (make_job(0, skills=[{"name": RARE, "type": "hard"}]),)

    def answer(stamp: str) -> JobPage:
        payload = ScoringPayload(jobs=jobs, scores=(0.9,), page=1, max_page=1, count=1, total=1, stamp=stamp)
        return JobPage.build(payload, query=query)

    for page in (answer("one"), answer("one"), answer("one")):
        vocabulary.note_page(page)
    vocabulary.flush()
    assert VocabularyTerm.objects.get(kind="skills", name=RARE).count == 1
    vocabulary.note_page(answer("two"))  # a new answer (a refresh, an expired cache entry)
    vocabulary.flush()
    assert VocabularyTerm.objects.get(kind="skills", name=RARE).count == 2


def test_counts_add_up_in_the_database_across_flushes_of_two_buffers() -> None:
    """Two processes flushing the same name both count (the upsert increments in SQL)."""

    class Job:
        skills = [type("S", (), {"name": n})() for n in ("Rust", "Go")]
        languages = ()

    job = Job()
    for _ in range(2):
        vocabulary.note_seen([job, job])
        vocabulary.flush()
    assert VocabularyTerm.objects.get(kind="skills", key="rust").count == 4
