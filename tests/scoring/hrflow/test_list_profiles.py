"""`HrFlowClient.list_profiles` as docs/hrflow.md §"list profiles of a source" describes the call:
`GET storing/profiles?source_keys=["<key>"]&page=1&limit=30&sort_by=created_at&order_by=desc
&return_profile=True`, `data` a list (the searching endpoint's `data.profiles` is read too)."""

from urllib.parse import parse_qsl, urlsplit

import responses

from scoring.hrflow.client import HrFlowClient
from tests.scoring.hrflow.payloads import API_URL, PROFILE, SOURCE, profile

URL = API_URL + "storing/profiles"


def test_newest_candidates_first_as_the_docs_spell_it(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(URL, json={"code": 200, "message": "List of profiles", "meta": {}, "data": []})
    assert client.list_profiles(SOURCE, limit=3) == []
    sent = dict(parse_qsl(urlsplit(str(mocked.calls[0].request.url)).query))
    assert (sent["sort_by"], sent["order_by"], sent["limit"], sent["page"]) == (
        "created_at",
        "desc",
        "3",
        "1",
    )
    assert "name" not in sent  # no empty filter is sent


def test_a_profile_without_its_own_source_key_belongs_to_the_source_asked(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    bare = {k: v for k, v in profile(full_name="Ada Lovelace").items() if k != "source_key"}
    mocked.get(URL, json={"code": 200, "message": "List of profiles", "meta": {}, "data": [bare]})
    (option,) = client.list_profiles(SOURCE, limit=1)
    assert (option.key, option.source_key) == (PROFILE, SOURCE)


def test_profiles_under_data_profiles_are_read_too(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    data = {"profiles": [profile(full_name="Ada Lovelace")]}
    mocked.get(URL, json={"code": 200, "message": "List of profiles", "meta": {}, "data": data})
    assert [o.name for o in client.list_profiles(SOURCE, limit=1)] == ["Ada Lovelace"]
