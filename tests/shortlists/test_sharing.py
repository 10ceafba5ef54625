"""A candidate's shortlist shared with one of its owner's teams (issue 12 part 3): teammates read
it (entries, notes, stages, CSV) without a control that changes it and copy it into their own;
the owner's page has the share control and the overview marks what is shared."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from shortlists import services
from shortlists.models import ShortlistEntry, ShortlistShare, Stage
from tests.fixtures.teams import logged_in, make_team
from tests.shortlists.conftest import PROFILE, SOURCE, make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(user: Any, other_user: Any) -> Group:
    return make_team("Recruiters", user, other_user)


def share_it(owner: Any, team: Group) -> ShortlistShare:
    response = logged_in(owner).post(reverse("shortlists:share", args=[SOURCE, PROFILE]), {"team": team.pk})
    assert response.status_code == 302
    return ShortlistShare.objects.get(owner=owner, source_key=SOURCE, profile_key=PROFILE)


def test_the_teammate_reads_it_with_notes_and_stages_and_no_write_control(
    user: Any, other_user: Any, team: Group
) -> None:
    first = make_entry(user, 1, title="Data engineer", note="Call on Tuesday", stage=Stage.SENT)
    make_entry(user, 2, title="Analyst")
    share = share_it(user, team)
    overview = logged_in(other_user).get(reverse("shortlists:overview")).content.decode()
    assert "Shared by alice · Recruiters" in overview
    assert reverse("shortlists:shared-detail", args=[share.pk]) in overview

    page = logged_in(other_user).get(reverse("shortlists:shared-detail", args=[share.pk])).content.decode()
    assert "Shared by alice · Recruiters" in page
    assert "Data engineer" in page
    assert "Call on Tuesday" in page
    assert "Sent to candidate" in page
    for write in ("entry-update", "entry-move", "entry-remove"):
        assert reverse(f"shortlists:{write}", args=[first.pk]) not in page, write
    assert reverse("shortlists:share", args=[SOURCE, PROFILE]) not in page
    assert reverse("shortlists:shared-copy", args=[share.pk]) in page

    rows = list(csv.DictReader(io.StringIO(logged_in(other_user).get(
        reverse("shortlists:shared-export", args=[share.pk])
    ).content.decode())))  # fmt: skip
    assert [(r["title"], r["note"]) for r in rows] == [("Data engineer", "Call on Tuesday"), ("Analyst", "")]


def test_the_owner_sees_it_marked_and_their_editable_page(user: Any, team: Group) -> None:
    make_entry(user, 1)
    share = share_it(user, team)
    client = logged_in(user)
    assert "Shared with Recruiters" in client.get(reverse("shortlists:overview")).content.decode()
    page = client.get(reverse("shortlists:detail", args=[SOURCE, PROFILE])).content.decode()
    assert "Shared with Recruiters" in page
    assert 'name="note"' in page
    # The share's own URL takes the owner to that page.
    response = client.get(reverse("shortlists:shared-detail", args=[share.pk]))
    assert response["Location"] == reverse("shortlists:detail", args=[SOURCE, PROFILE])
    client.post(reverse("shortlists:share", args=[SOURCE, PROFILE]), {"team": ""})
    assert not ShortlistShare.objects.exists()


def test_save_a_copy_adds_the_jobs_not_yet_on_the_teammates_shortlist(
    user: Any, other_user: Any, team: Group
) -> None:
    make_entry(user, 1, title="Shared one", note="Strong", stage=Stage.APPLIED)
    make_entry(user, 2, title="Both have it", note="owner's view")
    make_entry(other_user, 2, title="Both have it", note="my own view", position=1)
    share = share_it(user, team)
    response = logged_in(other_user).post(reverse("shortlists:shared-copy", args=[share.pk]))
    assert response["Location"] == reverse("shortlists:detail", args=[SOURCE, PROFILE])
    mine = list(ShortlistEntry.objects.filter(owner=other_user).order_by("position"))
    assert [(e.title, e.note, e.stage, e.position) for e in mine] == [
        ("Both have it", "my own view", Stage.TO_REVIEW, 1),
        ("Shared one", "Strong", Stage.APPLIED, 2),
    ]
    assert ShortlistEntry.objects.filter(owner=user).count() == 2  # the owner's are untouched


def test_a_team_the_owner_is_not_in_is_refused(user: Any, team: Group) -> None:
    other = Group.objects.create(name="Elsewhere")
    response = logged_in(user).post(reverse("shortlists:share", args=[SOURCE, PROFILE]), {"team": other.pk})
    assert response.status_code == 302
    assert not ShortlistShare.objects.exists()
    with pytest.raises(services.NotYourTeam):  # the service refuses it too, whoever calls it
        services.shortlist_share_set(user, source_key=SOURCE, profile_key=PROFILE, team_id=other.pk)
    assert not ShortlistShare.objects.exists()


def test_a_user_in_no_team_sees_no_share_control(django_user_model: Any) -> None:
    loner = django_user_model.objects.create_user("lone", password="pw-lone-123")
    make_entry(loner, 1)
    page = logged_in(loner).get(reverse("shortlists:detail", args=[SOURCE, PROFILE])).content.decode()
    assert 'name="team"' not in page
    assert "Shared with you" not in logged_in(loner).get(reverse("shortlists:overview")).content.decode()
