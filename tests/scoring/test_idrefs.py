"""Every id an attribute of the search page names is on the page (issue 10: seven
`aria-describedby` pointed at nothing), as the server sends it: without JavaScript, with and
without field errors. tests/browser/test_keyboard.py walks the live page and its swaps."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.scoring.test_views import Q, upstream, user_client  # noqa: F401 (fixtures)

IDREF_ATTRS = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-activedescendant", "aria-owns",
               "aria-errormessage", "for", "form", "list")  # fmt: skip


class IdrefParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []  # (tag#id, attribute, id named)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in IDREF_ATTRS:
            for ref in (values.get(name) or "").split():
                self.refs.append((f"{tag}#{values.get('id') or ''}", name, ref))


def dangling(html: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    parser = IdrefParser()
    parser.feed(html)
    return parser.refs, [ref for ref in parser.refs if ref[2] not in parser.ids]


@pytest.mark.parametrize(
    "query",
    [
        "",  # the first screen
        Q,  # a candidate's results
        Q + "&salary_min=90000&salary_max=1000&lat=95&lng=1",  # field errors (below, above the range)
        Q + "&skills=Python&tags_in=remote:true&date_preset=7d&min_score=40",
    ],
    ids=["first-screen", "results", "field-errors", "filters"],
)
def test_every_idref_on_the_search_page_names_an_element_of_it(user_client, upstream, query) -> None:  # noqa: F811
    body = user_client.get("/" + query).content.decode()
    refs, missing = dangling(body)
    assert missing == []
    described = [ref for ref in refs if ref[1] == "aria-describedby"]
    assert len(described) >= 20, described  # every visible control names its error container
    if "salary_max=1000" in query:
        assert ("select#id_salary_range", "aria-describedby", "err-salary_range") in refs
        assert ("input#id_salary_max", "aria-describedby", "err-salary_max") in refs
        assert 'id="id_salary_max_error"' in body  # Django's own error list, inside err-salary_max
