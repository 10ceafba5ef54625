"""The search form: one Form validates every URL parameter of the search page.

Field names are the URL parameter names, which are named after HrFlow's parameters
(scoring/hrflow/query.py has the table). `to_query()` turns the cleaned data into a `JobQuery`.
Choices that come from upstream (boards, algorithms, sources) are passed in by the view, so the
form itself never calls HrFlow and stays cheap to build in tests.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict

from scoring.hrflow.filters import FILTERS, Filter
from scoring.hrflow.query import (
    DATE_PRESETS,
    DEFAULT_LIMIT,
    DateRangeFilter,
    JobQuery,
    date_preset_min,
    end_of_day,
    parse_salary_range,
    start_of_day,
)
from scoring.hrflow.results import currency_code
from scoring.hrflow.tags import (
    EXCLUDED_PARAM,
    INCLUDED_PARAM,
    LEGACY_PARAMS,
    MAX_TAG_GROUPS,
    NAME_SEPARATOR,
    LegacyConversion,
    TagGroup,
    convert_legacy_items,
    describe_cnf,
    excluded_from_values,
    groups_from_values,
    value_label,
)

LEGACY_NOTICE = (
    "This link used the old tag syntax. It was updated to the new one, with the same meaning: "
    "{tags}. Bookmark the new address."
)
LEGACY_PROBLEM = (
    "This link uses the old tag syntax, and {problem}. Set the tags again: nothing was run with a "
    "different meaning."
)
TAG_FORMAT_MESSAGE = (
    "“{item}”: write a tag as name:value (remote:true, category:Sales); alternatives of several "
    "names as (remote:true|category:Sales)."
)

ERRORS_ID_PREFIX = "err-"  # + field name: the error container of _field.html, swapped out of band
PERCENT_INPUT = "min_score"  # the minimum score as typed, in percent (the URL has score_threshold)
KEY_RE = re.compile(r"^[0-9a-f]{40}$")
MAX_TERMS = 30  # per multi-valued field: keeps the upstream query string bounded
MAX_TERM_LENGTH = 100
MAX_PAGE = 1000
MAX_SALARY = 10_000_000
MAX_DISTANCE_KM = 20_000
DEFAULT_DISTANCE_KM = 50.0
LIMIT_CHOICES = [(10, "10"), (20, "20"), (30, "30"), (50, "50"), (100, "100")]
SORT_CHOICES = [("scoring", "Best match"), ("created_at", "Date posted"), ("updated_at", "Last updated")]
ORDER_CHOICES = [("desc", "High → low / newest first"), ("asc", "Low → high / oldest first")]
PRESET_CHOICES = [("", "Any time"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days")]
USE_AGENT_CHOICES = [("1", "On: rank by match score"), ("0", "Off: filter only")]

SHOWN_DEFAULTS = {"use_agent": "1", "limit": str(DEFAULT_LIMIT)}


def salary_range_label(name: str, unit: str) -> str:
    """What the currency choice shows: `eur` → "EUR", `USD/year` → "USD / year"; a range not
    named "salary" (e.g. a bonus) keeps its name in front."""
    currency, _, period = unit.partition("/")
    code = currency_code(currency)
    label = (code + (f" / {period.strip()}" if period.strip() else "")) if code else unit
    return label if name.casefold() == "salary" else f"{name}: {label}"


def salary_range_choices() -> list[tuple[str, str]]:
    """HRFLOW_SALARY_RANGES as (URL value, label); the first is the default."""
    return [
        (f"{name}:{unit}", salary_range_label(name, unit)) for name, unit in settings.HRFLOW_SALARY_RANGES
    ]


Choices = Sequence[tuple[str, str]]


class FreeMultipleChoiceField(forms.MultipleChoiceField):
    """A repeated free-text parameter (skills, keywords): any value is valid, within bounds.

    The widget's options are the submitted values themselves, so a re-rendered form (and Tom
    Select on top of it) shows what the user typed.
    """

    def __init__(self, *, max_terms: int = MAX_TERMS, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.max_terms = max_terms

    def to_python(self, value: Any) -> list[str]:
        values = super().to_python(value)
        return [v.strip() for v in values if v.strip()]

    def valid_value(self, value: str) -> bool:
        return True

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > self.max_terms:
            raise ValidationError(f"At most {self.max_terms} values.", code="max_terms")
        for item in value:
            if len(item) > MAX_TERM_LENGTH:
                raise ValidationError(f"“{item[:30]}…” is too long (max {MAX_TERM_LENGTH}).", code="too_long")
            if any(ord(ch) < 32 for ch in item):
                raise ValidationError("Values cannot contain control characters.", code="control")


# Keyword filters match whole words (runs of letters, digits or _): a keyword without one, like
# "%", has nothing to match and HrFlow refuses the whole search (the sandbox: 400 "has no word
# characters to match"). Not an encoding problem: "%" reaches HrFlow intact, "100%" runs.
WORD_CHARACTER = re.compile(r"\w")
UNMATCHABLE_KEYWORD_MESSAGE = (
    "“{term}” has no letter or digit to search for: keywords match whole words, "
    "so type at least one letter or digit."
)


def keyword_is_matchable(term: str) -> bool:
    return WORD_CHARACTER.search(term) is not None


class KeywordsField(FreeMultipleChoiceField):
    """Text or summary keywords: free entry, each with at least one word character."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        for term in value:
            if not keyword_is_matchable(term):
                raise ValidationError(
                    UNMATCHABLE_KEYWORD_MESSAGE.format(term=term[:30]), code="unmatchable_keyword"
                )


class KeysField(forms.MultipleChoiceField):
    """A repeated choice (boards) that ignores empty values instead of rejecting them."""

    def to_python(self, value: Any) -> list[str]:
        return [v for v in super().to_python(value) if v.strip()]


class IncludedTagsField(FreeMultipleChoiceField):
    """`tags_in`: tags grouped by name (values of one name are alternatives, names AND-ed),
    plus written OR-groups (`(remote:true|category:Sales)`); cleans to an AND of OR-groups."""

    def clean(self, value: Any) -> tuple[TagGroup, ...]:
        raw: list[str] = super().clean(value)
        for item in raw:
            try:
                groups_from_values([item])
            except ValueError:
                raise ValidationError(TAG_FORMAT_MESSAGE.format(item=item[:40]), code="tag_format") from None
        groups = groups_from_values(raw)
        if len(groups) > MAX_TAG_GROUPS:
            raise ValidationError(f"At most {MAX_TAG_GROUPS} tag groups.", code="max_groups")
        return groups


class ExcludedTagsField(FreeMultipleChoiceField):
    """`tags_out`: tags, any of which leaves a job out."""

    def clean(self, value: Any) -> TagGroup:
        raw: list[str] = super().clean(value)
        try:
            return excluded_from_values(raw)
        except ValueError:
            bad = next(item for item in raw if _unparsable(item))
            raise ValidationError(TAG_FORMAT_MESSAGE.format(item=bad[:40]), code="tag_format") from None


def _percent_from_threshold(data: Any) -> str | None:
    """`score_threshold=0.7` (a link, a saved search) shown as 70 in the percent input."""
    if data.get(PERCENT_INPUT) is not None or not data.get("score_threshold"):
        return None
    try:
        value = float(data.get("score_threshold"))
    except (TypeError, ValueError):
        return None
    return f"{value * 100:g}" if 0 <= value <= 1 else None


def _unparsable(item: str) -> bool:
    try:
        excluded_from_values([item])
    except ValueError:
        return True
    return False


def _multiple_select(
    label: str, help_text: str = "", *, field_class: type[FreeMultipleChoiceField] = FreeMultipleChoiceField
) -> FreeMultipleChoiceField:
    return field_class(
        label=label,
        help_text=help_text,
        widget=forms.SelectMultiple(attrs={"class": "tags-input", "data-free": "true"}),
    )


# --- filter fields, built from the filter descriptions (scoring/hrflow/filters.py) -------------

Fields = dict[str, forms.Field]


def _help(spec: Filter) -> str:
    return " ".join(part for part in (spec.help, spec.combine) if part)


TEXT_SUFFIX = "__text"  # the comma-separated text input of a chip field without JavaScript
_COMMA_ITEMS = re.compile(r'(?:"(?:[^"\\]|\\.)*"|[^,])+')


def split_commas(text: str) -> list[str]:
    """ "Python, SQL" → ["Python", "SQL"]; a comma inside double quotes stays (`code:"a,b"`,
    `"Build, test"`: a wholly quoted item loses its quotes)."""
    items = [item.strip() for item in _COMMA_ITEMS.findall(text) if item.strip()]
    return [i[1:-1] if len(i) > 1 and i[0] == i[-1] == '"' and '"' not in i[1:-1] else i for i in items]


def join_commas(values: Sequence[str]) -> str:
    """The inverse of `split_commas`: an item holding a comma is quoted (a tag: its value)."""
    out = []
    for v in values:
        if "," not in v:
            out.append(v)
        elif NAME_SEPARATOR in v and not v.startswith(("(", '"')):
            name, _, value = v.partition(NAME_SEPARATOR)
            out.append(f"{name}{NAME_SEPARATOR}{json.dumps(value.strip(), ensure_ascii=False)}")
        else:
            out.append(json.dumps(v, ensure_ascii=False))
    return ", ".join(out)


class ChipsWidget(forms.SelectMultiple):
    """A chip field: the `<select multiple>` Tom Select turns into chips (search.js enables it),
    and, without JavaScript, a comma-separated text input in its place (`<name>__text`)."""

    template_name = "scoring/widgets/chips.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, text_label: str = "") -> None:
        super().__init__(attrs)
        self.text_label = text_label

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["disabled"] = True  # submitted only once JavaScript enables it
        context["text_name"] = name + TEXT_SUFFIX
        context["text_value"] = join_commas([v for v in (value or []) if v])
        context["text_label"] = self.text_label
        context["text_describedby"] = context["widget"]["attrs"].get("aria-describedby", "")
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = list(super().value_from_datadict(data, files, name) or [])
        text = data.get(name + TEXT_SUFFIX) if hasattr(data, "get") else None
        return values + (split_commas(text) if isinstance(text, str) else [])


def _free_widget(spec: Filter) -> forms.SelectMultiple:
    attrs = {"class": "tags-input", "data-free": "true", "data-filter": spec.key}
    if spec.placeholder:
        attrs["placeholder"] = spec.placeholder
    if spec.extra.get("suggest"):
        attrs["data-suggest"] = spec.extra["suggest"]  # search.js asks the vocabulary endpoint
    return ChipsWidget(attrs=attrs, text_label=spec.label)


def _multi_fields(field_class: type[FreeMultipleChoiceField]) -> Callable[[Filter], Fields]:
    def build(spec: Filter) -> Fields:
        return {
            spec.params[0]: field_class(label=spec.label, help_text=_help(spec), widget=_free_widget(spec))
        }

    return build


def _location_fields(spec: Filter) -> Fields:
    return {
        "lat": forms.FloatField(
            label="Latitude", required=False, min_value=-90, max_value=90,
            widget=forms.NumberInput(attrs={"step": "any"}),
        ),
        "lng": forms.FloatField(
            label="Longitude", required=False, min_value=-180, max_value=180,
            widget=forms.NumberInput(attrs={"step": "any"}),
        ),
        "location_distance": forms.FloatField(
            label="Radius (km)", required=False, min_value=1, max_value=MAX_DISTANCE_KM,
            widget=forms.NumberInput(attrs={"step": 1}),
        ),
    }  # fmt: skip


def _date_fields(spec: Filter) -> Fields:
    return {
        "date_preset": forms.ChoiceField(
            label=spec.label, choices=PRESET_CHOICES, required=False, widget=forms.RadioSelect
        ),
        "date_range_min": forms.DateField(
            label="Posted from", required=False, widget=forms.DateInput(attrs={"type": "date"})
        ),
        "date_range_max": forms.DateField(
            label="Posted until", required=False, widget=forms.DateInput(attrs={"type": "date"})
        ),
    }


def _salary_fields(spec: Filter) -> Fields:
    return {
        "salary_range": forms.ChoiceField(label="Currency", required=False),
        "salary_min": forms.FloatField(
            label="Salary from", required=False, min_value=0, max_value=MAX_SALARY,
            widget=forms.NumberInput(attrs={"step": 1000, "inputmode": "numeric"}),
        ),
        "salary_max": forms.FloatField(
            label="Salary up to", required=False, min_value=0, max_value=MAX_SALARY,
            widget=forms.NumberInput(attrs={"step": 1000, "inputmode": "numeric"}),
        ),
    }  # fmt: skip


def _ranges_date_fields(spec: Filter) -> Fields:
    return {
        "ranges_date_name": forms.CharField(
            label="Date field",
            required=False,
            max_length=50,
            help_text="Name of a job date range, e.g. start.",
        ),
        "ranges_date_min": forms.DateField(
            label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
        ),
        "ranges_date_max": forms.DateField(
            label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
        ),
    }


def _percent_fields(spec: Filter) -> Fields:
    """Entered in percent (`min_score`, as the cards show scores); the URL keeps HrFlow's 0 to 1
    `score_threshold`, so links and saved searches keep their meaning."""
    param = spec.params[0]
    return {
        spec.params[0]: forms.FloatField(required=False, min_value=0, max_value=1, widget=forms.HiddenInput),
        PERCENT_INPUT: forms.FloatField(
            label=f"{spec.label} (%)", required=False, min_value=0, max_value=100, help_text=_help(spec),
            widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric", "data-url-param": param}),
        ),
    }  # fmt: skip


FIELD_BUILDERS: dict[str, Callable[[Filter], Fields]] = {
    "terms": _multi_fields(FreeMultipleChoiceField),
    "keywords": _multi_fields(KeywordsField),
    "tags_in": _multi_fields(IncludedTagsField),
    "tags_out": _multi_fields(ExcludedTagsField),
    "location": _location_fields,
    "date": _date_fields,
    "salary": _salary_fields,
    "ranges_date": _ranges_date_fields,
    "percent": _percent_fields,
}


def _terms_query(spec: Filter, data: dict[str, Any], now: dt.datetime | None) -> dict[str, Any]:
    return {spec.fields[0]: tuple(data.get(spec.params[0]) or ())}


def _location_query(spec: Filter, data: dict[str, Any], now: dt.datetime | None) -> dict[str, Any]:
    return {name: data.get(name) for name in ("lat", "lng", "location_distance")}


def _date_query(spec: Filter, data: dict[str, Any], now: dt.datetime | None) -> dict[str, Any]:
    preset = data.get("date_preset") or ""
    date_min, date_max = data.get("date_range_min"), data.get("date_range_max")
    return {
        "date_preset": preset,
        "date_range_min": date_preset_min(preset, now=now)
        if preset
        else (start_of_day(date_min) if date_min else None),
        "date_range_max": None if preset else (end_of_day(date_max) if date_max else None),
    }


def _salary_query(spec: Filter, data: dict[str, Any], now: dt.datetime | None) -> dict[str, Any]:
    return {
        "salary_min": data.get("salary_min"),
        "salary_max": data.get("salary_max"),
        "salary_range_name": data["salary_range"][0],
        "salary_range_unit": data["salary_range"][1],
    }


def _ranges_date_query(spec: Filter, data: dict[str, Any], now: dt.datetime | None) -> dict[str, Any]:
    if not data.get("ranges_date_name"):
        return {"ranges_date": None}
    low, high = data.get("ranges_date_min"), data.get("ranges_date_max")
    return {
        "ranges_date": DateRangeFilter(
            data["ranges_date_name"], start_of_day(low) if low else None, end_of_day(high) if high else None
        )
    }


def _percent_query(spec: Filter, data: dict[str, Any], now: dt.datetime | None) -> dict[str, Any]:
    return {spec.fields[0]: data.get(spec.params[0])}


QUERY_BUILDERS: dict[str, Callable[[Filter, dict[str, Any], dt.datetime | None], dict[str, Any]]] = {
    "terms": _terms_query,
    "keywords": _terms_query,
    "tags_in": _terms_query,
    "tags_out": _terms_query,
    "location": _location_query,
    "date": _date_query,
    "salary": _salary_query,
    "ranges_date": _ranges_date_query,
    "percent": _percent_query,
}


class JobSearchForm(forms.Form):
    board_keys = KeysField(
        label="Boards",
        required=False,
        help_text="None selected = all boards.",
        widget=forms.CheckboxSelectMultiple,
    )
    source_key = forms.ChoiceField(label="Candidate source", required=False)
    profile_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    algorithm_key = forms.ChoiceField(label="Algorithm", required=False)
    use_agent = forms.TypedChoiceField(
        label="Scoring",
        choices=USE_AGENT_CHOICES,
        coerce=lambda v: v == "1",
        required=False,
        empty_value=None,
        initial="1",
        widget=forms.RadioSelect,
    )
    sort_by = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)
    order_by = forms.ChoiceField(label="Order", choices=ORDER_CHOICES, required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)
    limit = forms.TypedChoiceField(
        label="Per page",
        choices=LIMIT_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        initial=DEFAULT_LIMIT,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        board_choices: Choices = (),
        algorithm_choices: Choices = (),
        source_choices: Choices = (),
        **kwargs: Any,
    ) -> None:
        self.legacy: LegacyConversion | None = None
        if data is not None and hasattr(data, "lists") and any(name in data for name in LEGACY_PARAMS):
            data = self._convert_legacy(data)
        if data is not None and hasattr(data, "copy"):
            # Defaults the widgets must show as selected when the URL omits them (canonical
            # URLs drop defaults): without this a select shows its first option, not the default.
            missing = {k: v for k, v in SHOWN_DEFAULTS.items() if not data.get(k)}
            percent = _percent_from_threshold(data)
            if percent is not None:
                missing[PERCENT_INPUT] = percent
            if missing:
                data = data.copy()
                data.update(missing)
        super().__init__(data, **kwargs)
        fields = self.fields
        fields["board_keys"].choices = list(board_choices)  # type: ignore[attr-defined]
        fields["algorithm_key"].choices = list(algorithm_choices)  # type: ignore[attr-defined]
        fields["source_key"].choices = list(source_choices)  # type: ignore[attr-defined]
        fields["salary_range"].choices = salary_range_choices()  # type: ignore[attr-defined]
        # Free-entry widgets list the submitted values as their options (selected).
        if data is not None:
            for name, field in fields.items():
                if isinstance(field, FreeMultipleChoiceField) and hasattr(data, "getlist"):
                    raw = field.widget.value_from_datadict(data, None, name)
                    values = [v for v in raw if isinstance(v, str) and v.strip()]
                    # Tag chips read "remote: true or category: Sales", whatever was typed.
                    label = value_label if name in (INCLUDED_PARAM, EXCLUDED_PARAM) else str
                    field.choices = [(v, label(v)) for v in dict.fromkeys(values)]
        self._describe_fields()

    def _describe_fields(self) -> None:
        """Each control's `aria-describedby` names its help text and its error container, both
        always on the page (`_field.html`). Django's own names `<id>_error`, which exists only
        while the field has an error; results swaps replace the errors out of band (search.html),
        so after a swap that fixed a field it pointed at nothing. Radio and checkbox groups are
        described on their fieldset (`_group.html`)."""
        auto_id = str(self.auto_id) if self.auto_id and "%s" in str(self.auto_id) else ""
        for name, field in self.fields.items():
            if field.widget.is_hidden or field.widget.use_fieldset:
                continue
            # BoundField.auto_id without building a BoundField (a quarter of the form's cost).
            help_id = [f"{auto_id % self.add_prefix(name)}_helptext"] if field.help_text and auto_id else []
            field.widget.attrs["aria-describedby"] = " ".join([*help_id, f"{ERRORS_ID_PREFIX}{name}"])

    def _convert_legacy(self, data: Any) -> Any:
        """An old-syntax link (`tags_included`/`tags_excluded`, an OR of AND-groups) → the same
        search in the new parameters; when it cannot keep its meaning, `clean()` says so."""
        items = [(name, value) for name, values in data.lists() for value in values]
        try:
            self.legacy = convert_legacy_items(items)
        except ValueError:
            self.legacy = LegacyConversion(problem="one of its tags is not written name:value", items=items)
        if self.legacy is None or self.legacy.problem:
            return data
        converted = QueryDict(mutable=True)
        for name, value in self.legacy.items:
            converted.appendlist(name, value)
        return converted

    @property
    def legacy_notice(self) -> str:
        """ "This link used the old tag syntax…" when an old link was converted, else ""."""
        if self.legacy is None or self.legacy.problem:
            return ""
        parts = []
        if self.legacy.included:
            parts.append("keep jobs with " + describe_cnf(self.legacy.included))
        if self.legacy.excluded:
            parts.append("leave out jobs with " + " or ".join(t.label for t in self.legacy.excluded))
        return LEGACY_NOTICE.format(tags="; ".join(parts) or "no tag filter")

    @property
    def legacy_problem(self) -> str:
        return self.legacy.problem if self.legacy is not None else ""

    # --- field cleaning -------------------------------------------------------------------

    def clean_profile_key(self) -> str:
        key: str = self.cleaned_data.get("profile_key", "").strip()
        if key and not KEY_RE.match(key):
            raise ValidationError("This candidate reference is not valid; pick the candidate again.")
        return key

    def clean_sort_by(self) -> str:
        return self.cleaned_data.get("sort_by") or "scoring"

    def clean_order_by(self) -> str:
        return self.cleaned_data.get("order_by") or "desc"

    def clean_page(self) -> int:
        return self.cleaned_data.get("page") or 1

    def clean_algorithm_key(self) -> str:
        value: str = self.cleaned_data.get("algorithm_key") or ""
        choices = self.fields["algorithm_key"].choices  # type: ignore[attr-defined]
        return value or (choices[0][0] if choices else "")

    def clean_salary_range(self) -> tuple[str, str]:
        value: str = self.cleaned_data.get("salary_range") or ""
        choices = self.fields["salary_range"].choices  # type: ignore[attr-defined]
        return parse_salary_range(value or choices[0][0])

    @property
    def salary_label(self) -> str:
        """ "Salary (EUR)": the legend of the salary filter, in the chosen currency."""
        raw = self["salary_range"].value() or ""
        labels = dict(self.fields["salary_range"].choices)  # type: ignore[attr-defined]
        label = labels.get(raw) or next(iter(labels.values()), "")
        return f"Salary ({label})" if label else "Salary"

    def clean_source_key(self) -> str:
        value: str = self.cleaned_data.get("source_key") or ""
        choices = self.fields["source_key"].choices  # type: ignore[attr-defined]
        return value or (choices[0][0] if choices else "")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        lat, lng = data.get("lat"), data.get("lng")
        if (lat is None) != (lng is None) and "lat" not in self.errors and "lng" not in self.errors:
            self.add_error("lng" if lng is None else "lat", "Give both latitude and longitude, or neither.")
        no_radius = data.get("location_distance") is None and "location_distance" not in self.errors
        if lat is not None and lng is not None and no_radius:
            data["location_distance"] = DEFAULT_DISTANCE_KM  # HrFlow needs a radius with a point
        if (
            data.get("location_distance") is not None
            and lat is None
            and lng is None
            and not self.errors.get("lat")
        ):
            self.add_error(
                "location_distance", "A radius needs a point: pick one on the map or enter lat/lng."
            )
        self._check_range(data, "date_range_min", "date_range_max", "The end date is before the start date.")
        self._check_range(data, "salary_min", "salary_max", "The maximum salary is below the minimum.")
        self._check_range(
            data, "ranges_date_min", "ranges_date_max", "The end date is before the start date."
        )
        if (data.get("ranges_date_min") or data.get("ranges_date_max")) and not data.get("ranges_date_name"):
            self.add_error("ranges_date_name", "Name the date field these dates apply to.")
        no_dates = not data.get("ranges_date_min") and not data.get("ranges_date_max")
        if data.get("ranges_date_name") and no_dates and "ranges_date_min" not in self.errors:
            # HrFlow refuses a date range without bounds ("ranges_date[0]: needs value_min or value_max").
            self.add_error(
                "ranges_date_min", "Give a start or an end date for this date field, or clear its name."
            )
        if data.get("date_preset") and (data.get("date_range_min") or data.get("date_range_max")):
            self.add_error("date_preset", "Choose a preset or custom dates, not both.")
        self._score_from_percent(data)
        if self.legacy_problem:
            self.add_error(INCLUDED_PARAM, LEGACY_PROBLEM.format(problem=self.legacy_problem))
        return data

    def _score_from_percent(self, data: dict[str, Any]) -> None:
        """The form's percent input, when sent (even empty), is the minimum score."""
        if PERCENT_INPUT not in self.data or PERCENT_INPUT in self.errors:
            return
        pct = data.get(PERCENT_INPUT)
        data["score_threshold"] = None if pct is None else round(pct / 100, 4)
        self.errors.pop("score_threshold", None)

    def _check_range(self, data: dict[str, Any], low: str, high: str, message: str) -> None:
        if data.get(low) is not None and data.get(high) is not None and data[high] < data[low]:
            self.add_error(high, message)

    # --- output -----------------------------------------------------------------------------

    @property
    def has_candidate(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data["profile_key"] and self.cleaned_data["source_key"])

    def to_query(self, *, now: dt.datetime | None = None) -> JobQuery:
        """The validated search as a JobQuery. Call only when `is_valid()`."""
        data = self.cleaned_data
        board_keys = data.get("board_keys") or [key for key, _ in self.fields["board_keys"].choices]  # type: ignore[attr-defined]
        kwargs: dict[str, Any] = {}
        for spec in FILTERS:
            kwargs.update(QUERY_BUILDERS[spec.form](spec, data, now))
        return JobQuery(
            board_keys=tuple(board_keys),
            source_key=data["source_key"],
            profile_key=data["profile_key"],
            algorithm_key=data["algorithm_key"],
            use_agent=data.get("use_agent", True) is not False,
            sort_by=data["sort_by"],
            order_by=data["order_by"],
            page=data["page"],
            limit=data.get("limit") or DEFAULT_LIMIT,
            **kwargs,
        )

    def panel_fields(self, panel: str) -> list[forms.BoundField]:
        """The bound fields of the filters shown in one generic panel ("keywords", "tags")."""
        return [self[name] for spec in FILTERS if spec.panel == panel for name in spec.params]

    @property
    def keyword_fields(self) -> list[forms.BoundField]:
        return self.panel_fields("keywords")

    @property
    def tag_fields(self) -> list[forms.BoundField]:
        return self.panel_fields("tags")


# Every filter's fields, after the fixed ones (candidate, boards, scoring), in FILTERS order.
for _spec in FILTERS:
    for _name, _field in FIELD_BUILDERS[_spec.form](_spec).items():
        JobSearchForm.base_fields[_name] = _field
        JobSearchForm.declared_fields[_name] = _field


__all__ = [
    "DATE_PRESETS", "ExcludedTagsField", "FreeMultipleChoiceField", "IncludedTagsField", "JobSearchForm",
]  # fmt: skip
