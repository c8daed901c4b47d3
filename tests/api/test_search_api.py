"""GET /api/v1/search on a real server: results with snippets in pieces, filters, offset pages,
and the API's error objects for what a client gets wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from actuel.config import load_settings
from tests.web.portal import Portal, serve


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    folder = tmp_path_factory.mktemp("search-api")
    with serve(load_settings(environ={}, db=str(folder / "portal.db"))) as served:
        yield served


def test_results_carry_the_article_its_snippet_and_its_story(portal: Portal) -> None:
    answer = portal.client.get("/api/v1/search", params={"q": "enquêtes"})
    assert answer.status_code == 200
    body = answer.json()
    [item] = body["items"]  # the translation and its copy: one story, shown once
    assert item["title"] == "Northbridge ouvre une enquête sur des blindés"
    assert item["story"]["key"] == "northbridge" and item["story"]["article_count"] == 3
    assert {"text": "enquête", "match": True} in item["snippet"]
    assert "".join(piece["text"] for piece in item["snippet"]).startswith("Les autorités")
    assert body["next_offset"] is None


def test_outside_markup_is_returned_as_text_to_escape(portal: Portal) -> None:
    [item] = portal.client.get("/api/v1/search", params={"q": "onerror"}).json()["items"]
    assert {"text": "onerror", "match": True} in item["snippet"]
    assert "<img src=x " in "".join(piece["text"] for piece in item["snippet"])


def test_filters_and_offset_pages(portal: Portal) -> None:
    english = portal.client.get("/api/v1/search", params={"q": "northbridge", "lang": "en"})
    assert [i["language"] for i in english.json()["items"]] == ["en"]
    kalaba = portal.sources["kalaba"].id
    first = portal.client.get(
        "/api/v1/search", params={"q": "conseil", "outlet": kalaba, "limit": 3}
    ).json()
    assert len(first["items"]) == 3 and first["next_offset"] == 3
    rest = portal.client.get(
        "/api/v1/search", params={"q": "conseil", "limit": 3, "offset": first["next_offset"]}
    ).json()
    assert len(rest["items"]) == 2 and rest["next_offset"] is None
    dated = portal.client.get(
        "/api/v1/search", params={"q": "conseil", "since": "2026-11-19", "until": "2026-11-19"}
    ).json()
    assert [i["title"] for i in dated["items"]] == ["Conseil municipal, séance 1"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "missing_query"),
        ({"q": "   "}, "missing_query"),
        ({"q": "conseil", "limit": "0"}, "bad_limit"),
        ({"q": "conseil", "offset": "-1"}, "bad_offset"),
        ({"q": "conseil", "offset": "5000"}, "bad_offset"),
        ({"q": "conseil", "outlet": "kalaba"}, "bad_outlet"),
        ({"q": "conseil", "since": "hier"}, "bad_since"),
        ({"q": "conseil", "until": "2026-13-01"}, "bad_until"),
    ],
)
def test_a_bad_request_gets_the_error_object(
    portal: Portal, params: dict[str, str], code: str
) -> None:
    answer = portal.client.get("/api/v1/search", params=params)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == code and error["message"] and error["fix"]


@pytest.mark.parametrize("query", ['"', "NEAR(a b)", "title:x", "-conseil", "*", "\x00", "a" * 400])
def test_operators_are_words_never_errors(portal: Portal, query: str) -> None:
    answer = portal.client.get("/api/v1/search", params={"q": query})
    assert answer.status_code == 200
    assert isinstance(answer.json()["items"], list)


def test_the_endpoint_is_described_in_the_openapi_document(portal: Portal) -> None:
    document = portal.client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "q",
        "lang",
        "outlet",
        "since",
        "until",
        "limit",
        "offset",
    }
    assert "SearchPage" in document["components"]["schemas"]
