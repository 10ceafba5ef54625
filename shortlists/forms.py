"""Forms of the star, hide, note/stage and move actions. Every key is checked against
`scoring.forms.KEY_RE` (40 hex digits) and every text is bounded, so bad input is a form
error (400), never a 500."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from scoring.forms import KEY_RE
from shortlists.models import Stage
from shortlists.services import MOVES

MAX_QUERY = 4000  # the search's query string, as the card's form carries it
MAX_NOTE = 2000


class _CardForm(forms.Form):
    """What a card's star or hide form posts: the search it is on, the job, where to go back."""

    q = forms.CharField(max_length=MAX_QUERY, required=False, strip=False)
    job_key = forms.CharField(max_length=40, validators=[RegexValidator(KEY_RE, "Not a job key.")])
    show_hidden = forms.BooleanField(required=False)
    next = forms.CharField(max_length=MAX_QUERY + 100, required=False)


class StarForm(_CardForm):
    action = forms.ChoiceField(choices=[("star", "Shortlist"), ("unstar", "Remove from shortlist")])


class HideForm(_CardForm):
    action = forms.ChoiceField(choices=[("hide", "Hide"), ("unhide", "Show again")])


class EntryForm(forms.Form):
    note = forms.CharField(
        max_length=MAX_NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_NOTE})
    )
    stage = forms.ChoiceField(choices=Stage.choices)


class MoveForm(forms.Form):
    move = forms.ChoiceField(choices=[(m, m) for m in MOVES])
