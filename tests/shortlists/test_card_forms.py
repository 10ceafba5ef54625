"""A card's star and hide forms, filled from the page's pieces (CardForms), are exactly the form
rendered whole, with the job's key and title escaped: upstream text stays inert."""

from __future__ import annotations

import pytest

from shortlists.search_page import CardForms

TITLES = [
    "Plain engineer",
    "Dev <script>alert(\"x\")</script> & 'Co'",
    "Marks \ue000 and \ue001 in upstream text",
    "",
]
KEYS = ["k" * 40, '"><b>key', "\ue001\ue000"]
PAGES = [
    CardForms(
        csrf="tok", q="profile_key=p&source_key=s&q=%3Cb%3E", next="/?profile_key=p&a=1", show_hidden=False
    ),
    CardForms(csrf="tok", q="profile_key=p", next="/?show_hidden=1", show_hidden=True),
    # A page value holding a mark cannot be cut there: the forms are rendered whole.
    CardForms(csrf="tok", q="x=\ue000", next="/?y=\ue001", show_hidden=False),
]


@pytest.mark.parametrize("forms", PAGES)
@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("title", TITLES)
def test_filled_forms_are_the_whole_render(forms: CardForms, key: str, title: str) -> None:
    for state in (False, True):
        assert forms.star(key, title, state) == forms._render("star", state, key, title)
        assert forms.hide(key, title, state) == forms._render("hide", state, key, title)
    assert forms.hidden_note(key, title) == forms._render("hidden_note", False, key, title)


def test_upstream_title_and_key_are_escaped() -> None:
    forms = PAGES[0]
    title, key = TITLES[1], KEYS[1]
    for html in (forms.star(key, title, True), forms.hide(key, title, False), forms.hidden_note(key, title)):
        assert "<script>" not in html
        assert '"><b>' not in html
        assert "Dev &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Co&#x27;" in html
        assert 'name="job_key" value="&quot;&gt;&lt;b&gt;key"' in html
