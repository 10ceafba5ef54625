"""Shortlists and hidden jobs on the search page, through its extension seam (scoring/extensions.py).

* every card gets "☆ Shortlist" (or "★ Shortlisted", the star shown wherever the job appears for
  this candidate) and "Hide for this candidate": POST forms with CSRF that work without
  JavaScript, sent with HTMX when it runs (`card_html`);
* the candidate's hidden jobs are left out of the results and the export (`excluded_keys`); the
  count says "N hidden" and offers "Show hidden (N)" (`count_html`), which keeps `show_hidden=1`
  on the page's links and shows them back with a "Hidden" badge and "Show again";
* the candidate's panel links to their shortlist with its size (`candidate_html`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString

from scoring.extensions import Decoration, NavLink, SearchState
from scoring.hrflow.query import JobQuery
from shortlists import services

SHOW_HIDDEN_PARAM = "show_hidden"
HIDDEN_NOTE_ID = "hidden-count-note"


@dataclass
class Opened:
    show_hidden: bool
    hidden: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)  # per request, per candidate


class ShortlistExtension:
    name = "shortlists"
    slot_id = "shortlist-slot"
    keep_params: Sequence[str] = (SHOW_HIDDEN_PARAM,)

    def open(self, request: HttpRequest) -> Opened:
        return Opened(show_hidden=request.GET.get(SHOW_HIDDEN_PARAM) == "1")

    def _hidden(self, request: HttpRequest, opened: Opened, query: JobQuery) -> frozenset[str]:
        candidate = (query.source_key or "", query.profile_key or "")
        if candidate not in opened.hidden:
            opened.hidden[candidate] = services.hidden_job_keys(
                cast(User, request.user), source_key=candidate[0], profile_key=candidate[1]
            )
        return opened.hidden[candidate]

    def excluded_keys(self, request: HttpRequest, opened: Opened, query: JobQuery) -> frozenset[str]:
        return frozenset() if opened.show_hidden else self._hidden(request, opened, query)

    def decorate(self, request: HttpRequest, opened: Opened, state: SearchState) -> Decoration:
        query = state.query
        if query is None or not (query.source_key and query.profile_key) or state.candidate is None:
            return Decoration()
        user, source_key, profile_key = cast(User, request.user), query.source_key, query.profile_key
        hidden = self._hidden(request, opened, query)
        starred = services.shortlisted_job_keys(user, source_key=source_key, profile_key=profile_key)
        panel = shortlist_link(source_key, profile_key, size=len(starred))
        if state.page is None or state.error:
            return Decoration(candidate_html=panel)
        forms = CardForms(
            csrf=get_token(request),
            q=query.to_query_string(),
            next=request.get_full_path(),
            show_hidden=opened.show_hidden,
        )
        cards = {
            job.key: forms.star(job.key, job.name, job.key in starred)
            + forms.hide(job.key, job.name, job.key in hidden)
            for job in state.page.jobs
        }
        return Decoration(
            card_html=cards, count_html=_count_note(request, opened, len(hidden)), candidate_html=panel
        )

    def nav_links(self, request: HttpRequest) -> Sequence[NavLink]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ()
        return (NavLink("nav-shortlists", reverse("shortlists:overview"), "Shortlists"),)


def shortlist_link(source_key: str, profile_key: str, *, size: int, oob: bool = False) -> str:
    """The candidate panel's "Shortlist (N)" link; `oob` for the star's HTMX answer."""
    url = reverse("shortlists:detail", args=[source_key, profile_key])
    return format_html(
        '<a id="shortlist-link" class="shortlist-link" href="{}"{}>Shortlist ({})'
        '<span class="visually-hidden"> jobs starred for this candidate</span></a>',
        url,
        SafeString(' hx-swap-oob="true"') if oob else "",
        size,
    )


_SHOW_HIDDEN = (
    ' <span class="hidden-note" title="Jobs you hid for this candidate are not counted or shown">'
    '· {n} hidden · <a class="show-hidden" href="{url}">Show hidden ({n})</a></span>'
)
_SHOWING_HIDDEN = (
    ' <span class="hidden-note">· showing {n} hidden · '
    '<a class="hide-hidden" href="{url}">Leave hidden jobs out</a></span>'
)


def _count_note(request: HttpRequest, opened: Opened, n_hidden: int) -> str:
    return hidden_count_note(request.GET, show_hidden=opened.show_hidden, n_hidden=n_hidden)


def hidden_count_note(params: QueryDict, *, show_hidden: bool, n_hidden: int, oob: bool = False) -> str:
    """The count's "· N hidden · Show hidden (N)" note ("showing N hidden" with them shown), in
    a span that is there even when nothing is hidden: the hide and show-again answers replace it
    out of band (`oob`), so the count says at once what is left out. `params`: the search's."""
    inner = ""
    if n_hidden:
        params = params.copy()
        params.pop("page", None)  # the page numbers change with the hidden jobs in or out
        if show_hidden:
            params.pop(SHOW_HIDDEN_PARAM, None)
        else:
            params[SHOW_HIDDEN_PARAM] = "1"
        url = reverse("search") + "?" + params.urlencode()
        inner = format_html(_SHOWING_HIDDEN if show_hidden else _SHOW_HIDDEN, n=n_hidden, url=url)
    oob_attr = SafeString(' hx-swap-oob="true"') if oob else ""
    return format_html('<span id="{}"{}>{}</span>', HIDDEN_NOTE_ID, oob_attr, inner)


# A card's forms: POST with CSRF (work without JavaScript), sent by HTMX when it runs.
_FORM = (
    '<form method="post" action="{url}" class="{cls}" hx-post="{url}" hx-target="{target}" '
    'hx-swap="outerHTML">{inputs}{body}</form>'
)
# A card's hidden inputs, cut around its job key: the page's part is escaped once per page (the
# query string and `next` are long, and a page has 60 of these forms).
_INPUTS_BEFORE_KEY = (
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<input type="hidden" name="q" value="{q}"><input type="hidden" name="job_key" value="'
)
_INPUTS_AFTER_KEY = '"><input type="hidden" name="next" value="{next}">{show}'
_STAR = (
    '<button type="submit" name="action" value="{action}" class="star-button secondary" '
    'aria-pressed="{pressed}" title="{hint}">{label}<span class="visually-hidden">: {title}</span></button>'
)
_HIDE = (
    '<button type="submit" name="action" value="hide" class="link hide-button">'
    'Hide for this candidate<span class="visually-hidden">: {title}</span></button>'
)
_UNHIDE = (
    '<span class="badge badge-hidden">Hidden</span> <button type="submit" name="action" value="unhide" '
    'class="link">Show again for this candidate<span class="visually-hidden">: {title}</span></button>'
)
_HIDDEN_NOTE = (
    '<li class="job-card hidden-card" data-job-key="{key}"><p role="status">Hidden for this candidate: '
    '{title}.</p><form method="post" action="{url}">{inputs}<button type="submit" name="action" '
    'value="unhide" class="secondary">Undo<span class="visually-hidden">: show {title} again</span>'
    "</button></form></li>"
)


# Where a card's own values go in a form rendered once per page: private-use characters, which
# no page value holds raw (the query string and `next` are percent-encoded; checked anyway).
_KEY_MARK, _TITLE_MARK = "\ue000", "\ue001"
_MARKS = re.compile(f"([{_KEY_MARK}{_TITLE_MARK}])")


@dataclass(frozen=True)
class CardForms:
    """The two small forms of a card. Shared by the search page and the HTMX answers.

    A page has 60 of these forms that differ only by the job's key and title: each kind is
    rendered once per page with marks in their place and cut there (`_cut`), and a card's
    copy is its escaped key and title put back between the pieces, byte for byte what
    rendering it whole gives (the shortlists' share of a 30-card swap, docs/benchmarks.md)."""

    csrf: str
    q: str
    next: str
    show_hidden: bool

    @cached_property
    def _page_inputs(self) -> tuple[str, str]:
        show = SafeString('<input type="hidden" name="show_hidden" value="1">') if self.show_hidden else ""
        before = format_html(_INPUTS_BEFORE_KEY, csrf=self.csrf, q=self.q)
        return before, format_html(_INPUTS_AFTER_KEY, next=self.next, show=show)

    @cached_property
    def _star_url(self) -> str:
        return reverse("shortlists:star")

    @cached_property
    def _hide_url(self) -> str:
        return reverse("shortlists:hide")

    @cached_property
    def _cuts(self) -> dict[tuple[str, bool], tuple[str, ...] | None]:
        return {}

    @cached_property
    def _can_cut(self) -> bool:
        page_values = self.csrf + self.q + self.next
        return _KEY_MARK not in page_values and _TITLE_MARK not in page_values

    def _inputs(self, job_key: str) -> SafeString:
        before, after = self._page_inputs
        return SafeString(before + escape(job_key) + after)

    def _form(self, url: str, cls: str, target: str, job_key: str, body: str) -> str:
        return format_html(_FORM, url=url, cls=cls, target=target, inputs=self._inputs(job_key), body=body)

    def _cut(self, kind: str, state: bool) -> tuple[str, ...] | None:
        """This page's form of `kind` in `state`, as literal pieces and marks (None: render whole)."""
        if (kind, state) not in self._cuts:
            marked = self._render(kind, state, _KEY_MARK, _TITLE_MARK) if self._can_cut else ""
            self._cuts[(kind, state)] = tuple(_MARKS.split(marked)) if marked else None
        return self._cuts[(kind, state)]

    def _filled(self, kind: str, state: bool, job_key: str, title: str) -> SafeString:
        pieces = self._cut(kind, state)
        if pieces is None:
            return SafeString(self._render(kind, state, job_key, title))
        key_html, title_html = escape(job_key), conditional_escape(title)
        return SafeString(
            "".join(key_html if p == _KEY_MARK else title_html if p == _TITLE_MARK else p for p in pieces)
        )

    def _render(self, kind: str, state: bool, job_key: str, title: str) -> str:
        """The form rendered whole (`_cut` renders it so once per page, with the marks)."""
        if kind == "star":
            button = format_html(
                _STAR,
                action="unstar" if state else "star",
                pressed="true" if state else "false",
                hint="On this candidate's shortlist: press to remove"
                if state
                else "Add to this candidate's shortlist",
                label="★ Shortlisted" if state else "☆ Shortlist",
                title=title,
            )
            return self._form(self._star_url, "star-form", "this", job_key, button)
        url = self._hide_url
        if kind == "hidden_note":
            return format_html(_HIDDEN_NOTE, key=job_key, title=title, url=url, inputs=self._inputs(job_key))
        if state:
            return self._form(url, "hide-form", "this", job_key, format_html(_UNHIDE, title=title))
        return self._form(url, "hide-form", "closest li.job-card", job_key, format_html(_HIDE, title=title))

    def star(self, job_key: str, title: str, starred: bool) -> str:
        return self._filled("star", starred, job_key, title)

    def hide(self, job_key: str, title: str, hidden: bool) -> str:
        """ "Hide for this candidate" (HTMX replaces the card by `hidden_note`); on a card shown
        with "Show hidden", its "Hidden" badge and "Show again for this candidate"."""
        return self._filled("hide", hidden, job_key, title)

    def hidden_note(self, job_key: str, title: str) -> str:
        """What replaces a card just hidden (HTMX): what happened, and Undo (a full POST back)."""
        return self._filled("hidden_note", False, job_key, title)
