"""Search page extensions: the one seam through which other apps decorate the search page.

`scoring` (the search page) never imports the apps that decorate it; they import this module
and register themselves from their `AppConfig.ready()`:

    from scoring.extensions import register
    register(MyExtension())

An extension (see `SearchPageExtension`) may

* **open** itself from the request before any upstream call (`open()`; raise `Http404` for a
  foreign or missing object: it costs nothing upstream), and keep URL parameters of its own on
  every link and pushed URL of the page (`keep_params`, only while it is open);
* **decorate** the results once the search ran (`decorate()` → `Decoration`): HTML for its own
  slot above the results (rendered on the full page and out of band with every results swap,
  `<div id=<slot_id> class="ext-slot">`), job keys whose cards carry the "New" badge, and
  out-of-band elements of its own for results swaps only (`oob_html`);
* **exclude** jobs from the results (`excluded_keys()`, once the query is valid, before the
  upstream call): the page then reads past its own page upstream so it still shows `limit`
  jobs (`selectors.job_match_list_excluding`), and the CSV export leaves them out too;
* **decorate each card** (`Decoration.card_html`: job key → HTML placed in the card's action
  row), add a note **beside the result count** (`count_html`, full page and swaps) and a line
  **in the candidate's panel** (`candidate_html`, full page only);
* add **navigation links** with a badge (`nav_links()`, the top bar of every page, through
  `{% extension_nav as links %}` in templates/base.html).

Saved searches are the first (`saved_searches/search_page.py`), shortlists and hidden jobs the
second (`shortlists/search_page.py`). docs/architecture.md ("Search page extensions")
describes the contract.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.http import HttpRequest
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from scoring.hrflow.query import JobQuery
    from scoring.hrflow.results import JobPage


@dataclass(frozen=True)
class SearchState:
    """What the search page knows once the search ran (or could not)."""

    query: JobQuery | None
    candidate: Any  # the candidate profile (selectors.profile_get), or None
    page: JobPage | None
    error: str | None
    board_names: dict[str, str]
    partial: bool  # an HTMX results swap, not the full page


@dataclass(frozen=True)
class Decoration:
    slot_html: SafeString | str = ""
    new_keys: frozenset[str] = frozenset()
    # Out-of-band elements of its own (each with `hx-swap-oob`) sent beside its slot on a results
    # swap only, e.g. the "Saved searches" nav link with its fresh "N new".
    oob_html: SafeString | str = ""
    # Per card, by job key: HTML (already escaped) appended to the card's action row, e.g. the
    # shortlist star and "Hide for this candidate". One dict lookup per card.
    card_html: Mapping[str, str] = field(default_factory=dict)
    count_html: SafeString | str = ""  # beside the result count ("3 hidden · Show hidden")
    candidate_html: SafeString | str = ""  # in the candidate's panel (full page only)


@dataclass(frozen=True)
class NavLink:
    id: str
    href: str
    label: str
    badge: str = ""  # shown text ("3 new"); empty: no badge
    badge_detail: str = ""  # for screen readers, after the badge (" jobs")


class SearchPageExtension(Protocol):
    name: str
    slot_id: str  # the id of its slot element (`<div id=… class="ext-slot">`)
    keep_params: Sequence[str]

    def open(self, request: HttpRequest) -> Any:
        """State of this extension for this request (None: not active). May raise Http404."""
        ...

    def excluded_keys(self, request: HttpRequest, opened: Any, query: JobQuery) -> frozenset[str]:
        """Job keys to leave out of this query's results (and its export); empty: none."""
        ...

    def decorate(self, request: HttpRequest, opened: Any, state: SearchState) -> Decoration: ...

    def nav_links(self, request: HttpRequest) -> Sequence[NavLink]: ...


@dataclass
class _Registry:
    extensions: list[SearchPageExtension] = field(default_factory=list)


_registry = _Registry()


def register(extension: SearchPageExtension) -> None:
    """Add (or replace, by name) an extension. Call from `AppConfig.ready()`."""
    _registry.extensions = [e for e in _registry.extensions if e.name != extension.name] + [extension]


def registered() -> tuple[SearchPageExtension, ...]:
    return tuple(_registry.extensions)


@dataclass(frozen=True)
class OpenedExtension:
    extension: SearchPageExtension
    state: Any
    kept: tuple[tuple[str, str], ...]  # its URL parameters as the request gave them


def open_all(request: HttpRequest) -> list[OpenedExtension]:
    """Each registered extension opened for this request (before any upstream call)."""
    out = []
    for ext in registered():
        state = ext.open(request)
        kept = tuple((p, request.GET[p]) for p in ext.keep_params if state is not None and p in request.GET)
        out.append(OpenedExtension(ext, state, kept))
    return out


@dataclass(frozen=True)
class Slot:
    id: str
    html: SafeString | str
    oob_html: SafeString | str = ""


def excluded_keys(request: HttpRequest, opened: list[OpenedExtension], query: JobQuery) -> frozenset[str]:
    """Every extension's excluded job keys for this query (before the upstream call)."""
    out = frozenset[str]()
    for item in opened:
        out |= item.extension.excluded_keys(request, item.state, query)
    return out


@dataclass(frozen=True)
class Decorations:
    """Every extension's decoration of one search page, merged for the template."""

    slots: list[Slot]
    new_keys: frozenset[str]
    card_html: dict[str, str]
    count_html: SafeString
    candidate_html: SafeString


def decorate_all(request: HttpRequest, opened: list[OpenedExtension], state: SearchState) -> Decorations:
    slots, new_keys = [], frozenset[str]()
    cards: dict[str, str] = {}
    counts, panels = [], []
    for item in opened:
        decoration = item.extension.decorate(request, item.state, state)
        slots.append(Slot(item.extension.slot_id, decoration.slot_html, decoration.oob_html))
        new_keys |= decoration.new_keys
        for key, html in decoration.card_html.items():
            cards[key] = cards.get(key, "") + html
        counts.append(decoration.count_html)
        panels.append(decoration.candidate_html)
    # Each part was escaped by the extension that made it (its own templates or `format_html`).
    return Decorations(
        slots,
        new_keys,
        cards,
        SafeString("".join(str(c) for c in counts)),
        SafeString("".join(str(p) for p in panels)),
    )


def nav_links(request: HttpRequest) -> list[NavLink]:
    return [link for ext in registered() for link in ext.nav_links(request)]
