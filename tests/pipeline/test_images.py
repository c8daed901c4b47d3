"""Articles' images kept as local copies by ingest and served by the site: nothing hotlinked,
no broken image shown, a bad image recorded once and never asked again."""

from __future__ import annotations

import io
import re

import httpx
from PIL import Image

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Source
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from actuel.web.app import create_app
from tests.support.loopback import Loopback, Reply
from tests.support.webserver import running

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>La Lagune</title><link>{base}/</link>
<item><title>Le pont de la lagune rouvre</title><link>{base}/a/pont</link><guid>pont</guid>
<pubDate>Tue, 24 Nov 2026 09:00:00 GMT</pubDate></item>
<item><title>La pirogue du musée restaurée</title><link>{base}/a/pirogue</link><guid>pirogue</guid>
<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"""
PAGE = """<!doctype html><html lang="fr"><head><title>{title}</title>
<meta property="og:image" content="{base}/img/{image}"></head>
<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"""
TEXT = (
    "Après six semaines de travaux, l'ouvrage a rouvert lundi matin à la circulation des "
    "piétons et des deux-roues, a annoncé la mairie, qui promet une réouverture complète "
    "avant la fin du mois, une fois les derniers contrôles de sécurité effectués."
)


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 900), (20, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


def serve(loopback: Loopback) -> None:
    base = loopback.base_url
    html = {"Content-Type": "text/html; charset=utf-8"}
    loopback.route(
        "/feed.xml",
        Reply(
            headers={"Content-Type": "application/rss+xml"}, body=FEED.format(base=base).encode()
        ),
    )
    for slug, title, image in (
        ("pont", "Le pont de la lagune rouvre", "pont.jpg"),
        ("pirogue", "La pirogue du musée restaurée", "pirogue.jpg"),
    ):
        page = PAGE.format(base=base, title=title, image=image, text=f"{title}. {TEXT}")
        loopback.route(f"/a/{slug}", Reply(headers=html, body=page.encode()))
    loopback.route("/img/pont.jpg", Reply(headers={"Content-Type": "image/jpeg"}, body=photo()))
    # a broken CMS answers its error page where the picture should be
    loopback.route("/img/pirogue.jpg", Reply(headers=html, body=b"<html>Page introuvable</html>"))


def test_ingest_keeps_a_local_copy_and_pages_show_it_never_the_outlets(
    loopback: Loopback, settings: Settings
) -> None:
    serve(loopback)
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(Source(url=loopback.url("/feed.xml"), name="La Lagune"))
        with Ingestor(store, fetcher, settings) as ingestor:
            first = ingestor.run_pass([source])
            assert first.images == 1
            ingestor.run_pass([source])  # the bad image was recorded: not asked again
        by_title = {a.title: a for a in store.articles.latest()}
        bridge, canoe = (
            by_title["Le pont de la lagune rouvre"],
            by_title["La pirogue du musée restaurée"],
        )
    assert len(loopback.hits_to("/img/pont.jpg")) == 1
    assert len(loopback.hits_to("/img/pirogue.jpg")) == 1

    with (
        Store.open(settings.db, settings, readonly=True) as store,
        running(create_app(settings, store)) as base,
        httpx.Client(base_url=base) as reader,
    ):
        image = reader.get(f"/images/{bridge.id}.webp")
        assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
        with Image.open(io.BytesIO(image.content)) as kept:
            assert kept.format == "WEBP" and kept.width == 800
        again = reader.get(
            f"/images/{bridge.id}.webp", headers={"If-None-Match": image.headers["etag"]}
        )
        assert again.status_code == 304
        assert reader.get(f"/images/{canoe.id}.webp").status_code == 404

        page = reader.get(f"/articles/{bridge.id}").text
        assert f'<img src="/images/{bridge.id}.webp"' in page
        assert "Photo : La Lagune" in page
        og = re.search(r'<meta property="og:image" content="([^"]+)"', page)
        assert og is not None and og.group(1).endswith(f"/images/{bridge.id}.webp")
        assert og.group(1).startswith("http")
        for html in (page, reader.get(f"/articles/{canoe.id}").text, reader.get("/").text):
            assert loopback.base_url + "/img/" not in html, "an outlet's image is hotlinked"
        assert '<figure class="lead-image">' not in reader.get(f"/articles/{canoe.id}").text
        # feed readers are pointed at our copy too
        listing = reader.get(f"/outlets/{bridge.source_id}/feed.json").json()
        images = {item["url"].rsplit("/", 1)[1]: item.get("image") for item in listing["items"]}
        assert images[str(bridge.id)].endswith(f"/images/{bridge.id}.webp")
        assert images[str(canoe.id)] is None
