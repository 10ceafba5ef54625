"""Teams are Django groups (the admin manages who is in which). Saved searches and shortlists
are shared with one team of their owner's; these are the only questions the sharing apps ask
about teams, so the rule "a share counts only while its owner is still in the team" lives here.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db.models import Exists, OuterRef, Q, QuerySet

Membership = Group.user_set.through  # auth_user_groups


def user_teams(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Group]:
    """The teams a user is in, by name (what a share control offers)."""
    if not user.is_authenticated:
        return Group.objects.none()
    return Group.objects.filter(user__pk=user.pk).order_by("name", "pk")


def owner_team(owner: AbstractBaseUser, team_id: int | None) -> Group | None:
    """The owner's team with this id, None for "not shared"; ValueError for a team the owner is
    not in (the form offers only theirs, so this is a forged or stale post)."""
    if team_id is None:
        return None
    team = user_teams(owner).filter(pk=team_id).first()
    if team is None:
        raise ValueError("not one of your teams")
    return team


def shared_with_reader(reader: AbstractBaseUser, *, owner_field: str, team_field: str) -> Q:
    """Rows shared with one of the reader's teams by someone else who is still in that team.

    `owner_field`/`team_field` name the row's owner and team foreign keys (e.g. "owner",
    "shared_with"). The owner is excluded: an owner reads their rows as the owner, never as a
    teammate."""
    if not reader.is_authenticated:
        return Q(pk__in=[])
    team = OuterRef(f"{team_field}_id")
    reader_in_team = Exists(Membership.objects.filter(user_id=reader.pk, group_id=team))
    owner_in_team = Exists(Membership.objects.filter(user_id=OuterRef(f"{owner_field}_id"), group_id=team))
    return Q(reader_in_team, owner_in_team) & ~Q(**{f"{owner_field}_id": reader.pk})
