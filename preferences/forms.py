from __future__ import annotations

from django import forms

from preferences.models import Density


class DensityForm(forms.Form):
    density = forms.ChoiceField(choices=Density.choices)
    next = forms.CharField(max_length=4000, required=False)
