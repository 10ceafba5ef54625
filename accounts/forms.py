"""The share control of saved searches and shortlists: one of the owner's teams, or none."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, Group

from accounts.teams import user_teams

NOT_SHARED_LABEL = "Not shared"
NOT_YOUR_TEAM_MESSAGE = "You can share only with a team you are in."


class TeamShareForm(forms.Form):
    """Offers only the owner's teams, so any other id (forged, or a team they left) is a form
    error, never a share."""

    team = forms.ModelChoiceField(queryset=Group.objects.none(), required=False, empty_label=NOT_SHARED_LABEL)

    def __init__(self, *args: Any, owner: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = user_teams(owner)  # type: ignore[attr-defined]

    @property
    def team_id(self) -> int | None:
        team = self.cleaned_data.get("team")
        return team.pk if team is not None else None
