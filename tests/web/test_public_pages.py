"""The public pages as a reader gets them: languages, listings and filters, the article page's
excerpt, credits, sharing and provenance data, the portal's identity, and outside HTML kept out."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from lxml import html as lxml_html

from actuel.config import Settings, load_settings
from tests.web.portal import PAYLOADS, REPORT_TEXT, Portal, serve

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"}
IDENTITY: dict[str, Any] = {
    "site_name": "Le Courrier des Collines",
    "site_tagline": "Les nouvelles de la vallée, sourcées",
    "site_logo_url": "/static/logo.svg",
    "site_color": "#7a1f5c",
    "site_social": "Mastodon=https://social.example/@courrier, Piège=javascript:alert(1),"
    " Facebook=https://facebook.example/courrier",
    "site_base_url": "https://courrier.example/",
}


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    settings = load_settings(environ={}, db=str(tmp_path_factory.mktemp("portal") / "p.db"))
    with serve(settings, **IDENTITY) as served:
        yield served


def links(page: str, rel: str = "next") -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(rf'<a rel="{rel}" href="([^"]+)"', page)]


def crawl_listing(client: httpx.Client, url: str) -> list[str]:
    """The story (or article) links of a listing, following its "older" links to the end."""
    found: list[str] = []
    for _ in range(20):
        page = client.get(url)
        assert page.status_code == 200, url
        found += re.findall(r'<h2><a href="(/(?:stories|articles)/[^"]+)"', page.text)
        older = links(page.text)
        if not older:
            return found
        url = older[0]
    raise AssertionError("the listing never ends")


def json_ld(page: str) -> dict[str, Any]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert isinstance(data, dict)
    return data


# --- languages ---------------------------------------------------------------------------------


def test_pages_are_in_french_by_default(portal: Portal) -> None:
    response = portal.client.get("/")
    assert response.headers["content-language"] == "fr"
    page = response.text
    assert '<html lang="fr">' in page
    assert "<h1>Dernières nouvelles</h1>" in page
    assert "Publié d'abord par <strong>The Meridian Post</strong>" in page
    assert "3 articles · 3 médias · 2 langues" in page
    assert "anglais, français" in page
    assert "20 novembre 2026 à 06:00" in page
    # The English report's story goes by its French translation's title on the French site.
    assert (
        '<a href="/stories/northbridge">Northbridge ouvre une enquête sur des blindés</a>' in page
    )
    assert "Northbridge opens inquiry" not in page


def test_pages_are_in_english_when_the_browser_asks(portal: Portal) -> None:
    response = portal.client.get("/", headers=ENGLISH)
    assert response.headers["content-language"] == "en"
    page = response.text
    assert '<html lang="en">' in page
    assert "<h1>Latest news</h1>" in page
    assert "First published by <strong>The Meridian Post</strong>" in page
    assert "3 articles · 3 outlets · 2 languages" in page
    assert "English, French" in page
    assert "20 November 2026 at 06:00" in page
    assert "Dernières nouvelles" not in page
    # The English title needs no lang attribute any more; the French ones do.
    assert '<a href="/stories/northbridge">Northbridge opens inquiry' in page
    assert '<a href="/stories/conseil-0" lang="fr">Conseil municipal' in page
    story = portal.client.get("/stories/northbridge", headers=ENGLISH).text
    assert "translation of <a href=" in story
    assert "<h3>In English (1)</h3>" in story


def test_language_switch_is_a_form_that_remembers_the_choice(portal: Portal) -> None:
    with httpx.Client(base_url=str(portal.client.base_url)) as client:
        page = client.get(f"/articles/{portal.articles['report']}").text
        form = lxml_html.fromstring(page).xpath('//form[@action="/langue"]')[0]
        buttons = {b.get("value"): b.text_content() for b in form.xpath(".//button")}
        assert buttons == {"fr": "Français", "en": "English"}
        fields = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
        assert fields["next"] == f"/articles/{portal.articles['report']}"
        switched = client.post("/langue", data={**fields, "lang": "en"})
        assert switched.status_code == 303
        assert switched.headers["location"] == fields["next"]
        assert "HttpOnly" in switched.headers["set-cookie"]
        # The choice wins over the browser's languages from then on.
        after = client.get(fields["next"], headers={"Accept-Language": "fr"}).text
        assert '<html lang="en">' in after
        assert "Read more at The Meridian Post" in after
        assert 'aria-pressed="true">English' in after
        back = client.post("/langue", data={**fields, "lang": "fr"})
        assert back.status_code == 303
        assert '<html lang="fr">' in client.get("/").text


def test_language_switch_refuses_other_languages_and_outside_redirects(portal: Portal) -> None:
    with httpx.Client(base_url=str(portal.client.base_url)) as client:
        page = client.get("/").text
        token = re.search(r'name="csrf_token" value="([^"]*)"', page)
        assert token is not None
        base = {"csrf_token": token.group(1)}
        refused = client.post("/langue", data={**base, "lang": "de", "next": "/"})
        assert refused.status_code == 400
        for outside in (
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "javascript:",
        ):
            answer = client.post("/langue", data={**base, "lang": "fr", "next": outside})
            assert answer.status_code == 303
            assert answer.headers["location"] == "/"


def test_error_pages_speak_the_readers_language(portal: Portal) -> None:
    french = portal.client.get("/articles/999999")
    assert french.status_code == 404
    assert "Cet article n&#39;existe pas." in french.text
    english = portal.client.get("/articles/999999", headers=ENGLISH)
    assert "This article does not exist." in english.text
    assert "Back to the home page" in english.text
    unknown = portal.client.get("/no/such/page", headers=ENGLISH)
    assert unknown.status_code == 404
    assert "This page does not exist." in unknown.text


# --- listings ----------------------------------------------------------------------------------


def test_home_pages_through_every_story_once(portal: Portal) -> None:
    first = portal.client.get("/").text
    assert len(re.findall(r'<li class="card story-card">', first)) == 3
    listed = crawl_listing(portal.client, "/")
    assert len(listed) == len(set(listed)) == 7
    assert "/stories/northbridge" in listed


def test_home_filters_by_category_and_language_across_pages(portal: Portal) -> None:
    regional = crawl_listing(portal.client, "/?category=regional")
    assert len(regional) == 6 and "/stories/northbridge" not in regional
    # The category page shows the same stories under the category's name.
    assert crawl_listing(portal.client, "/categories/regional") == regional
    page = portal.client.get("/categories/regional").text
    assert "<h1>Régions</h1>" in page
    assert 'href="/categories/regional" aria-current="page"' in page
    assert crawl_listing(portal.client, "/?lang=en") == ["/stories/northbridge"]
    english = portal.client.get("/languages/en").text
    assert "<h1>Nouvelles en anglais</h1>" in english
    assert crawl_listing(portal.client, "/languages/en") == ["/stories/northbridge"]
    assert portal.client.get("/categories/jardinage").status_code == 200
    assert "Aucune nouvelle ici" in portal.client.get("/categories/jardinage").text


def test_listings_show_articles_while_no_story_exists(settings: Settings) -> None:
    with serve(settings, stories=False) as portal:
        ids = portal.articles
        regional = crawl_listing(portal.client, "/categories/regional")
        assert sorted(regional) == sorted(
            f"/articles/{ids[k]}" for k in ids if k not in ("report",)
        )
        assert len(regional) == len(set(regional)) == 8
        assert crawl_listing(portal.client, "/?lang=en") == [f"/articles/{ids['report']}"]
        assert len(crawl_listing(portal.client, "/")) == 9


def test_outlet_page_lists_its_articles(portal: Portal) -> None:
    kalaba = portal.sources["kalaba"]
    page = portal.client.get(f"/outlets/{kalaba.id}").text
    assert "<h1>Kalaba Matin</h1>" in page
    assert 'href="https://kalaba.example" rel="noopener noreferrer nofollow ugc"' in page
    listed = crawl_listing(portal.client, f"/outlets/{kalaba.id}")
    assert len(listed) == len(set(listed)) == 6  # the translation and five council reports
    assert f"/articles/{portal.articles['translation']}" in listed
    assert portal.client.get("/outlets/999999").status_code == 404


# --- the article page --------------------------------------------------------------------------


def test_article_page_shows_an_excerpt_not_the_whole_text(portal: Portal) -> None:
    page = portal.client.get(f"/articles/{portal.articles['report']}").text
    excerpt = lxml_html.fromstring(page).xpath('//div[@class="excerpt"]')[0]
    shown = excerpt.text_content().strip()
    assert shown.endswith("…")
    assert len(shown) <= portal.settings.excerpt_chars + 2
    assert excerpt.get("lang") == "en"  # an English text in a French page
    assert REPORT_TEXT[:200] in page
    assert REPORT_TEXT[:1000] not in page


def test_excerpt_length_is_a_setting(settings: Settings) -> None:
    with serve(settings, excerpt_chars=120) as portal:
        page = portal.client.get(f"/articles/{portal.articles['report']}").text
        shown = lxml_html.fromstring(page).xpath('//div[@class="excerpt"]')[0].text_content()
        assert 60 < len(shown.strip()) <= 122


def test_article_page_credits_the_original_and_the_outlet(portal: Portal) -> None:
    ids, urls = portal.articles, portal.urls
    page = portal.client.get(f"/articles/{ids['copy']}").text
    assert (
        f'Publié d\'abord par <strong><a href="/articles/{ids["report"]}">The Meridian Post</a>'
        in page
    )
    assert f'<a href="{urls["report"]}" rel="noopener noreferrer nofollow ugc">' in page
    assert "Repris ici de <strong>L&#39;Écho &lt;b&gt;des Collines&lt;/b&gt;</strong>" in page
    assert f'(copie de <a href="/articles/{ids["translation"]}">Kalaba Matin</a>)' in page
    more = re.search(r'<p class="more"><a href="([^"]+)" rel="([^"]+)">([^<]+)</a>', page)
    assert more is not None
    assert more.group(1) == urls["copy"]
    assert "noopener" in more.group(2)
    assert more.group(3) == "Lire la suite sur L&#39;Écho &lt;b&gt;des Collines&lt;/b&gt;"
    whole = "Toute l'histoire : 3 articles, 3 médias, 2 langues"
    assert f'<a href="/stories/northbridge">{whole}' in page


def test_article_page_has_latest_news_related_stories_share_links_and_comments(
    portal: Portal,
) -> None:
    page = portal.client.get(f"/articles/{portal.articles['evil']}").text
    tree = lxml_html.fromstring(page)
    latest = tree.xpath('//aside[@class="sidebar"]')[0]
    assert latest.xpath(".//h2")[0].text_content() == "Dernières nouvelles"
    assert len(latest.xpath(".//li")) == 5
    assert "/stories/vendanges" not in "".join(latest.xpath(".//a/@href"))  # not itself
    related = tree.xpath('//section[@class="related"]')[0]
    assert related.xpath(".//h2")[0].text_content() == "Lire aussi"
    assert set(related.xpath(".//a/@href")) <= {f"/stories/conseil-{n}" for n in range(5)}
    shares = tree.xpath('//nav[@class="share"]//a')
    assert [a.text_content() for a in shares] == ["Facebook", "X", "WhatsApp", "LinkedIn", "E-mail"]
    own = quote(f"https://courrier.example/articles/{portal.articles['evil']}", safe="")
    for link in shares:
        assert own in link.get("href"), link.get("href")
        assert link.get("href").startswith(("https://", "mailto:?"))
    assert 'id="commentaires"' in page  # the comments' part of the page is included


def test_json_ld_names_the_original_and_the_translated_work(portal: Portal) -> None:
    ids, urls = portal.articles, portal.urls
    page = portal.client.get(f"/articles/{ids['translation']}").text
    data = json_ld(page)
    assert data["@type"] == "NewsArticle"
    assert data["url"] == f"https://courrier.example/articles/{ids['translation']}"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Kalaba Matin",
        "url": "https://kalaba.example",
    }
    based_on = data["isBasedOn"]
    assert isinstance(based_on, list)
    assert urls["report"] in [work.get("url") for work in based_on]
    translated = data["translationOfWork"]
    assert isinstance(translated, dict)
    assert translated["url"] == urls["report"]
    assert translated["inLanguage"] == "en"
    assert translated["publisher"]["name"] == "The Meridian Post"
    story = json_ld(portal.client.get("/stories/northbridge").text)
    assert story["isBasedOn"][0]["url"] == urls["report"]
    # the headline readers see: the French translation's on the French page, the original's
    # on the English one
    assert story["headline"] == "Northbridge ouvre une enquête sur des blindés"
    assert story["inLanguage"] == "fr"
    english = json_ld(portal.client.get("/stories/northbridge", headers=ENGLISH).text)
    assert english["headline"] == "Northbridge opens inquiry into armoured vehicles"
    assert english["inLanguage"] == "en"


def test_json_ld_survives_a_title_that_closes_the_script(portal: Portal) -> None:
    page = portal.client.get(f"/articles/{portal.articles['copy']}").text
    data = json_ld(page)
    stored = portal.store.articles.get(portal.articles["copy"])
    assert data["headline"] == stored.title
    assert PAYLOADS[4] in stored.title
    assert page.count("</script>") == 1


def test_canonical_and_opengraph_use_the_public_address(portal: Portal) -> None:
    article_id = portal.articles["report"]
    # the outlet's image is never hotlinked: without a local copy there is no og:image at all
    bare = lxml_html.fromstring(portal.client.get(f"/articles/{article_id}").text)
    assert not bare.xpath('//meta[@property="og:image"]')
    assert "meridian.example/img" not in portal.client.get(f"/articles/{article_id}").text
    portal.store.images.save(
        article_id, "https://meridian.example/img/harbour.jpg", data=b"RIFF", width=1, height=1,
        content_type="image/webp",
    )  # fmt: skip
    # (another address than the page cache holds: it checks the database once a second)
    tree = lxml_html.fromstring(portal.client.get(f"/articles/{article_id}?image").text)
    canonical = f"https://courrier.example/articles/{article_id}"
    assert tree.xpath('//link[@rel="canonical"]/@href') == [canonical]
    meta = {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]")}
    assert meta["og:url"] == canonical
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Northbridge opens inquiry into armoured vehicles"
    assert meta["og:image"] == f"https://courrier.example/images/{article_id}.webp"
    assert meta["og:site_name"] == IDENTITY["site_name"]
    assert meta["og:locale"] == "fr_FR"
    feeds = tree.xpath('//link[@rel="alternate"]/@href')
    assert {"/feed.xml", "/feed.atom", "/feed.json"} <= set(feeds)
    story = lxml_html.fromstring(portal.client.get("/stories/northbridge").text)
    assert "/stories/northbridge/feed.xml" in story.xpath('//link[@rel="alternate"]/@href')


# --- identity ----------------------------------------------------------------------------------


def test_the_portal_shows_its_own_identity(portal: Portal) -> None:
    page = portal.client.get("/").text
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//title")[0].text_content().startswith("Le Courrier des Collines")
    assert tree.xpath('//a[@class="brand"]')[0].text_content().strip() == IDENTITY["site_name"]
    assert tree.xpath('//a[@class="brand"]/img/@src') == ["/static/logo.svg"]
    assert tree.xpath('//a[@class="brand"]/img/@alt') == [""]  # the name beside it says it
    assert IDENTITY["site_tagline"] in page
    follow = tree.xpath('//nav[@class="follow"]')[0]
    assert follow.xpath(".//h2")[0].text_content() == "Suivez-nous !"
    assert follow.xpath(".//a/@href") == [
        "https://social.example/@courrier",
        "https://facebook.example/courrier",
    ]
    theme = portal.client.get("/theme.css")
    assert theme.headers["content-type"].startswith("text/css")
    assert "--accent: #7a1f5c;" in theme.text


def test_a_colour_that_is_not_a_colour_never_reaches_the_stylesheet(settings: Settings) -> None:
    with serve(settings, site_color="red; } body { display: none") as portal:
        theme = portal.client.get("/theme.css").text
        assert "display" not in theme
        assert "--accent: #0b5cad;" in theme


def test_a_single_language_site_offers_no_switch_and_no_other_language(settings: Settings) -> None:
    with serve(settings, site_languages="fr") as portal:
        page = portal.client.get("/", headers=ENGLISH)
        assert 'action="/langue"' not in page.text
        assert '<html lang="fr">' in page.text  # English is not offered: the site's language


def assert_no_outside_markup(url: str, page: str) -> None:
    """What a browser would build from `page`: no script but our JSON-LD, no event handler, no
    SVG, no javascript: link, no element from the payloads."""
    tree = lxml_html.fromstring(page)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in ("svg", "iframe", "object", "embed"), (url, element.tag)
        if element.tag == "script":
            assert element.get("type") == "application/ld+json", url
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (url, element.tag, name)
            if name in ("href", "src", "action", "content"):
                assert not value.strip().lower().startswith(("javascript:", "data:")), (url, value)
    assert not tree.xpath('//img[@src="x"]'), url


# --- outside HTML --------------------------------------------------------------------------------


def test_no_outside_markup_reaches_any_page(portal: Portal) -> None:
    """Titles, authors and texts carry script tags, event handlers, javascript: links and SVG:
    every page shows them as text."""
    client = portal.client
    seen: set[str] = set()
    queue = ["/", "/categories/regional", "/languages/fr", "/?lang=fr&category=regional"]
    queue += [f"/outlets/{s.id}" for s in portal.sources.values()]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        for headers in ({}, ENGLISH):
            response = client.get(url, headers=headers)
            assert "default-src 'none'" in response.headers["content-security-policy"], url
            page = response.text
            assert_no_outside_markup(url, page)
        queue += [
            link
            for link in re.findall(r'href="(/(?:stories|articles|outlets|categories)/[^"]+)"', page)
            if "/feed." not in link
        ]
    assert f"/articles/{portal.articles['evil']}" in seen
    evil = client.get(f"/articles/{portal.articles['evil']}").text
    assert "&lt;svg onload=alert(1)&gt;" in evil  # the author, as text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in evil
    assert "og:image" not in evil  # its image URL was javascript:


# --- accessibility -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/stories/northbridge", "/categories/regional", "/outlets/1", "/articles/3"]
)
def test_pages_have_landmarks_one_h1_and_ordered_headings(portal: Portal, path: str) -> None:
    page = portal.client.get(path).text
    tree = lxml_html.fromstring(page)
    body = tree.xpath("//body")[0]
    first_link = body.xpath(".//a")[0]
    assert first_link.get("href") == "#main" and first_link.get("class") == "skip"
    assert tree.xpath("//main/@id") == ["main"]
    assert tree.xpath("//header[@class='site']") and tree.xpath("//footer[@class='site']")
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4")]
    assert levels.count(1) == 1 and levels[0] == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels
    for image in tree.iter("img"):
        assert image.get("alt") is not None
    for control in tree.xpath("//input[not(@type='hidden')] | //textarea | //select"):
        assert tree.xpath(f'//label[@for="{control.get("id")}"]'), control.get("name")
    for button in tree.iter("button"):
        assert button.text_content().strip()
    for nav in tree.iter("nav"):
        assert nav.get("aria-label") or nav.get("aria-labelledby")
