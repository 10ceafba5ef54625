from __future__ import annotations

from django import forms

from saved_searches.models import AlertMode, Schedule


class SavedSearchCreateForm(forms.Form):
    name = forms.CharField(max_length=120)
    schedule = forms.ChoiceField(choices=Schedule.choices, initial=Schedule.DAILY)
    alert_mode = forms.ChoiceField(choices=AlertMode.choices, initial=AlertMode.OFF, required=False)
    query_string = forms.CharField(max_length=8000, widget=forms.HiddenInput)
    candidate_name = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    filters_summary = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)


class UpdateFiltersForm(forms.Form):
    """ "Update this saved search" on the search page: the current filters replace the saved ones."""

    query_string = forms.CharField(max_length=8000, widget=forms.HiddenInput)
    filters_summary = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)


class RenameForm(forms.Form):
    name = forms.CharField(max_length=120)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the search a name.")
        return name


class ScheduleForm(forms.Form):
    schedule = forms.ChoiceField(choices=Schedule.choices)


class AlertModeForm(forms.Form):
    alert_mode = forms.ChoiceField(choices=AlertMode.choices)


class PauseForm(forms.Form):
    paused = forms.TypedChoiceField(choices=(("1", "Pause"), ("0", "Resume")), coerce=lambda v: v == "1")


def save_form_for(
    *, query_string: str, candidate_name: str = "", filters_summary: str = ""
) -> SavedSearchCreateForm:
    """The search page's "Save this search" form, its name prefilled from the filters."""
    name = " · ".join(part for part in (candidate_name.strip(), filters_summary.strip()) if part)
    return SavedSearchCreateForm(
        initial={
            "name": name[:120] or "Saved search",
            "schedule": Schedule.DAILY,
            "alert_mode": AlertMode.OFF,
            "query_string": query_string,
            "candidate_name": candidate_name,
            "filters_summary": filters_summary,
        }
    )
