from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms

from preferences.models import Density

UNKNOWN_TIME_ZONE_MESSAGE = "Pick a time zone from the list (for example Europe/Paris)."


class DensityForm(forms.Form):
    density = forms.ChoiceField(choices=Density.choices)
    next = forms.CharField(max_length=4000, required=False)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    # Every IANA name the system knows, minus the legacy aliases nobody picks from a list.
    names = sorted(n for n in zoneinfo.available_timezones() if "/" in n or n == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


class AccountForm(forms.Form):
    """The account page: where alerts go, when digests arrive, and how cards look."""

    email = forms.EmailField(label="E-mail address for alerts", required=False, max_length=254)
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        error_messages={"invalid_choice": UNKNOWN_TIME_ZONE_MESSAGE},
    )
    digest_hour = forms.TypedChoiceField(
        label="Digest hour",
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        help_text="Daily digests arrive at this hour, weekly ones on Mondays at this hour.",
    )
    density = forms.ChoiceField(label="Cards", choices=Density.choices, widget=forms.RadioSelect)
    alerts_enabled = forms.BooleanField(label="Send me e-mail alerts", required=False)
