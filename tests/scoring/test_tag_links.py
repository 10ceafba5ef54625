"""Old bookmarks and shared links with the previous tag syntax (issue 7): recognised, converted
to the same meaning, the page says so, and the address becomes the new one."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from tests.scoring.test_views import HX, PROFILE, SOURCE, Q, upstream, user_client  # noqa: F401

OLD = Q + "&tags_included=remote:true%2Bcategory:sales&tags_included=remote:true%2Bcategory:marketing"


def test_an_old_bookmark_moves_to_the_new_address_with_a_notice(user_client, upstream) -> None:  # noqa: F811
    response = user_client.get("/" + OLD)

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    params = parse_qsl(target.query)
    assert ("tags_in", "remote:true") in params
    assert ("tags_in", "category:sales") in params
    assert not any(name == "tags_included" for name, _ in params)
    page = user_client.get(response["Location"]).content.decode()
    assert "This link used the old tag syntax" in page
    assert "(category: marketing or category: sales) and remote: true" in page
    (query,) = upstream.calls
    assert query.tags_included[1][0].to_hrflow() == {"name": "remote", "value": True}
    assert [t.value for t in query.tags_included[0]] == ["marketing", "sales"]


def test_an_htmx_request_with_old_tags_pushes_the_new_address(user_client, upstream) -> None:  # noqa: F811
    response = user_client.get("/" + OLD, headers=HX)

    assert response.status_code == 200
    body = response.content.decode()
    assert "This link used the old tag syntax" in body
    pushed = parse_qsl(urlsplit(response["HX-Push-Url"]).query)
    assert ("tags_in", "remote:true") in pushed
    assert not any(name == "tags_included" for name, _ in pushed)


def test_an_old_link_that_cannot_keep_its_meaning_runs_nothing(user_client, upstream) -> None:  # noqa: F811
    response = user_client.get("/" + Q + "&tags_excluded=remote:true%2Bcategory:sales")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Some filters need fixing" in body
    assert "several tags together" in body
    assert "Continue without the old tag filter" in body
    assert f'href="/?source_key={SOURCE}&amp;profile_key={PROFILE}"' in body
    assert upstream.calls == [], "no search ran with a changed meaning"


def test_mixed_or_group_chips_on_the_page(user_client, upstream) -> None:  # noqa: F811
    body = user_client.get("/" + Q + "&tags_in=(remote:true|category:sales)").content.decode()

    assert (
        '<option value="(remote:true|category:sales)" selected>remote: true or category: sales</option>'
        in body
    )
