"""The JSON API over the ingested demo world: stories with relations, articles, JSON errors."""

from __future__ import annotations

import httpx

from actuel.store import Store
from tests.web.demo_site import DemoSite, story_key_of

Served = tuple[httpx.Client, Store]


def test_stories_are_paged_with_a_cursor_to_the_end(demo: Served, demo_site: DemoSite) -> None:
    client, _ = demo
    keys: list[str] = []
    url: str | None = "/api/v1/stories?limit=4"
    pages = 0
    while url is not None and pages < 100:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert "Content-Security-Policy" in response.headers
        body = response.json()
        if pages == 0:
            cross = client.get(url, headers={"Origin": "https://factcheck.example"})
            assert cross.headers["access-control-allow-origin"] == "*"
        assert set(body) == {"items", "next"}
        assert len(body["items"]) <= 4
        keys += [item["key"] for item in body["items"]]
        # The cursor is URL-safe as given: no escaping needed.
        url = f"/api/v1/stories?limit=4&before={body['next']}" if body["next"] else None
        pages += 1
    assert pages > 1
    assert len(keys) == len(set(keys)), "a story came back on two pages"
    # Stories, not copies: fewer stories than articles, and every article in exactly one.
    assert len(keys) < demo_site.article_count


def test_language_filter(demo: Served) -> None:
    client, _ = demo
    body = client.get("/api/v1/stories?lang=en&limit=100").json()
    assert body["items"]
    assert all("en" in item["languages"] for item in body["items"])


def test_story_carries_the_same_relations_as_the_site(demo: Served, demo_site: DemoSite) -> None:
    client, store = demo
    ids = demo_site.ids
    meridian = ids["s08-meridian"]
    key = story_key_of(store, meridian)
    body = client.get(f"/api/v1/stories/{key}").json()
    assert body["key"] == key
    assert body["original"]["article_id"] == meridian
    assert body["original"]["outlet"] == "The Meridian Post"
    members = {m["article_id"]: m for m in body["members"]}
    assert members[meridian]["relation"] == "original"
    for manifest_id in ("s08-kalaba", "s08-nouvelles"):
        member = members[ids[manifest_id]]
        assert member["relation"] == "translation"
        assert member["derived_from"] == meridian
        assert 0 < member["confidence"] <= 1
        assert isinstance(member["evidence"], dict)
    echo = members[ids["s08-echo-des-collines"]]
    assert echo["relation"] not in ("original", "independent")
    assert echo["derived_from"] in members
    # The same relations the store gives the story page.
    members_stored = store.stories.members(store.stories.get(key).id)
    stored = {m.article.id: (m.relation, m.derived_from) for m in members_stored}
    assert {a: (m["relation"], m["derived_from"]) for a, m in members.items()} == stored
    assert isinstance(body["quotes"], list)
    assert isinstance(body["related"], list)


def test_story_gives_the_headline_of_each_language_and_quotes_with_translations(
    demo: Served, demo_site: DemoSite
) -> None:
    client, store = demo
    key = story_key_of(store, demo_site.ids["s08-meridian"])
    body = client.get(f"/api/v1/stories/{key}").json()
    meridian = store.articles.get(demo_site.ids["s08-meridian"])
    assert (body["title"], body["language"]) == (meridian.title, "en")  # the original's
    headlines = body["headlines"]
    assert set(headlines) == set(body["languages"]) == {"en", "fr"}
    assert headlines["en"]["article_id"] == meridian.id
    french = store.articles.get(headlines["fr"]["article_id"])
    assert french.language == "fr" and headlines["fr"]["title"] == french.title
    listed = client.get("/api/v1/stories?limit=100").json()["items"]
    assert next(s for s in listed if s["key"] == key)["headlines"] == headlines
    # each English quote once, its French translations inside it, never beside it
    said = [q["text"] for q in body["quotes"]]
    assert len(said) == len(set(said))
    translated = [q for q in body["quotes"] if q["translations"]]
    assert translated and all(q["language"] == "en" for q in translated)
    assert all(t["language"] == "fr" for q in translated for t in q["translations"])
    inside = {t["text"] for q in translated for t in q["translations"]}
    assert not inside & set(said)


def test_article_says_where_it_sits_in_its_story(demo: Served, demo_site: DemoSite) -> None:
    client, store = demo
    copy_id = demo_site.ids["s08-echo-des-collines"]
    body = client.get(f"/api/v1/articles/{copy_id}").json()
    assert body["id"] == copy_id
    assert body["outlet"] == "L'Écho des Collines"
    assert body["story"]["key"] == story_key_of(store, copy_id)
    assert body["story"]["relation"] not in ("original", "independent")
    assert body["story"]["derived_from"] is not None
    assert body["story"]["original"]["article_id"] == demo_site.ids["s08-meridian"]
    # An excerpt, as on the site: the API does not republish the outlet's article in full.
    stored = store.articles.get(copy_id).text
    assert len(stored) > demo_site.settings.excerpt_chars
    assert body["text_truncated"] is True
    assert len(body["text"]) <= demo_site.settings.excerpt_chars + 2
    assert stored.startswith(body["text"].removesuffix(" …"))


def test_errors_are_json_objects_with_status_codes(demo_any: Served) -> None:
    client, _ = demo_any
    cases = [
        ("GET", "/api/v1/stories/no-such-story", 404, "story_not_found"),
        ("GET", "/api/v1/articles/99999999", 404, "article_not_found"),
        ("GET", "/api/v1/stories?before=yesterday", 400, "bad_cursor"),
        ("GET", "/api/v1/stories?limit=100000", 400, "bad_limit"),
        ("GET", "/api/v1/no-such-route", 404, "not_found"),
        ("POST", "/api/v1/stories", 405, "method_not_allowed"),
    ]
    for method, url, status, code in cases:
        response = client.request(method, url)
        assert response.status_code == status, url
        assert response.headers["content-type"].startswith("application/json"), url
        error = response.json()["error"]
        assert error["code"] == code, url
        assert error["message"], url
        assert "Content-Security-Policy" in response.headers


def test_openapi_describes_every_route(demo_any: Served) -> None:
    client, _ = demo_any
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/stories",
        "/stories/{key}",
        "/articles/{id}",
        "/articles/{id}/comments",
        "/search",
        # the write API, behind bearer tokens (tests/api/test_write.py)
        "/sources",
        "/sources/{source_id}",
        "/sources/{source_id}/pause",
        "/sources/{source_id}/resume",
        "/moderation/comments",
    }
    for path in document["paths"].values():
        if "get" not in path:
            continue
        assert "200" in path["get"]["responses"]
        assert {"400", "401", "404"} & set(path["get"]["responses"])
