"""Pick the article links of a home page, for sources that publish no feed and no sitemap.

Hand-written: courlan's link filters are tuned for English and German sites and keep section pages;
a French regional home page needs French navigation words (rubrique, auteur, connexion, mentions
légales…) and a positive sign that a link is an article (a date, a long slug, a numeric id).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit, urlunsplit

import lxml.html

from actuel.sources.html import document_base, parse_html
from actuel.urls import absolute_url, canonical_url, same_site

# Path segments that mark listing, account, legal or sharing pages, never an article.
_NAV_WORDS = """
tag tags etiquette etiquettes mot-cle mots-cles mot-clef mots-clefs keyword keywords theme
themes topic topics sujet sujets category categories categorie categorie-article rubrique
rubriques section sections author authors auteur auteurs auteure journaliste journalistes
redaction equipe user users profil profile membre membres search recherche rechercher archive
archives page pages login logout signin sign-in signup sign-up register connexion deconnexion
inscription identification account compte mon-compte moncompte espace-abonne abonnement
abonnements abonnes subscribe subscription newsletter newsletters contact contacts
contactez-nous nous-contacter mentions-legales cgu cgv cgu-cgv conditions-generales privacy
confidentialite politique-de-confidentialite donnees-personnelles cookies gestion-des-cookies
about a-propos apropos qui-sommes-nous faq aide help plan-du-site sitemap annonceurs boutique
shop share partage partager sharer print imprimer feed feeds rss atom wp-admin wp-login.php
wp-content wp-includes wp-json cdn-cgi static assets uploads annonces-legales avis-de-deces
comments commentaires reactions articlecomments forum forums thread threads
"""
_NAV_SEGMENTS = frozenset(_NAV_WORDS.split())
_NAV_QUERY = re.compile(
    r"(?:^|&)(?:page|paged|s|q|query|search|share|replytocom|action|login|redirect_to|tag|cat|"
    r"author|rubrique\d*|mot\d*|auteur\d*)=|(?:^|&)(?:rubrique|mot|auteur)\d+(?:&|$)",
    re.IGNORECASE,
)
_ARTICLE_QUERY = re.compile(
    r"(?:^|&)(?:p|id|idx|no|nid|aid|sid|newsid|news_id|articleid|article_id|storyid|story_id|"
    r"article|breve|id_article|id_breve)=?\d+(?=&|$)",
    re.IGNORECASE,
)
# Folders that hold articles: a short slug under them is still an article.
_ARTICLE_PARENTS = frozenset({"article", "articles", "story", "stories", "post", "posts", "billet"})
_COMMENT_PAGE = re.compile(r"^comments?-page-\d+$", re.IGNORECASE)
_INDEX_NAMES = frozenset({"index", "default", "home", "accueil"})
_PAGE_EXTENSIONS = frozenset(
    {"", ".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".ece"}
)
_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DATE_IN_SEGMENT = re.compile(
    r"(?:^|\D)(?:19|20)\d\d[-_]?(?:0[1-9]|1[0-2])[-_]?(?:0[1-9]|[12]\d|3[01])(?:\D|$)"
)
_NUMERIC_ID = re.compile(r"(?:^|[-_a-z])\d{4,}(?:$|[-_.])", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]{2,}")


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _plain(segment: str) -> str:
    # `/cat%C3%A9gorie/` and `/catégorie/` are the same word as `/categorie/`.
    decomposed = unicodedata.normalize("NFKD", unquote(segment).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(segment: str) -> tuple[str, str]:
    match = _EXTENSION.search(segment)
    if match and not segment[: match.start()].isdigit():
        return segment[: match.start()], match.group(0).lower()
    return segment, ""


def _slug_words(segment: str) -> int:
    return len(_WORDS.findall(unquote(segment).replace("-", " ").replace("_", " ")))


def _without_suffixes(segments: list[str]) -> list[str]:
    """The path without what follows an article's own name: `index.html`, a page number."""
    trimmed = list(segments)
    while trimmed and _stem(trimmed[-1])[0].lower() in _INDEX_NAMES:
        trimmed.pop()  # /2019/11/18/politics/some-story/index.html
    page_number = len(trimmed) >= 2 and trimmed[-1].isdigit() and len(trimmed[-1]) <= 3
    if page_number and _NUMERIC_ID.search(trimmed[-2]):
        trimmed.pop()  # /article/3834/2: page 2 of article 3834
    return trimmed


def looks_like_article(url: str) -> bool:
    """True when a URL's shape says "article": a date, a slug of several words, or a numeric id.

    Listing, account, legal and sharing pages, section fronts and files other than pages say no.
    """
    parts = urlsplit(url)
    segments = _segments(parts.path)
    if any(_plain(s) in _NAV_SEGMENTS or _COMMENT_PAGE.match(s) for s in segments):
        return False
    if parts.query and _ARTICLE_QUERY.search(parts.query):
        return True
    if parts.query and _NAV_QUERY.search(parts.query):
        return False
    if segments and _stem(segments[-1])[1] not in _PAGE_EXTENSIONS:
        return False
    segments = _without_suffixes(segments)
    if not segments:
        return False
    last, extension = _stem(segments[-1])
    if re.fullmatch(r"(?:page|p)?[-_]?\d{1,3}", last, re.IGNORECASE):
        return False  # pagination: /2, /page-3
    date_segments = [i for i, s in enumerate(segments) if _YEAR.match(s)]
    if date_segments:
        # /2026/11/25/slug is an article; /2026/11/ alone is an archive.
        after = segments[date_segments[0] + 1 :]
        rest = [_stem(s)[0] for s in after if not re.fullmatch(r"\d{1,2}", s)]
        return bool(rest) and (_slug_words(rest[-1]) >= 1 or bool(_NUMERIC_ID.search(rest[-1])))
    if _DATE_IN_SEGMENT.search(parts.path) and _slug_words(last) >= 1:
        return True
    words, has_id = _slug_words(last), bool(_NUMERIC_ID.search(last))
    # Section fronts have short slugs (/faits-divers, /sport/coupe-du-monde); articles, long ones.
    if words >= 4 or (words == 3 and (extension or has_id)):
        return True
    if has_id and (len(segments) >= 2 or words >= 1):
        return True
    if len(segments) >= 2:
        parent = _stem(segments[-2])[0]
        if _plain(parent) in _ARTICLE_PARENTS and words >= 2:
            return True  # /article/best-tech-gadgets
        if _slug_words(parent) >= 4:
            return True  # /the-long-slug-of-the-story/ar-BBWXwNX
    return False


def _canonical(url: str) -> str:
    canonical = canonical_url(url)
    query = urlsplit(url).query
    # canonical_url drops query keys it does not know, which would merge every `spip.php?article123`
    # and `?p=42` of a site into one URL; an article id in the query is the article's identity.
    if query and _ARTICLE_QUERY.search(query) and not urlsplit(canonical).query:
        kept = "&".join(p for p in query.split("&") if _ARTICLE_QUERY.fullmatch(p))
        parts = urlsplit(canonical)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, kept, ""))
    return canonical


def _in_navigation(element: lxml.html.HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("nav", "footer"):
            return True
        if (ancestor.get("role") or "").lower() in ("navigation", "contentinfo"):
            return True
    return False


def article_links_from_home(html: str, base_url: str, *, max_links: int = 200) -> list[str]:
    """Links of a home page that look like articles of its site: canonical, once each, in order.

    Links inside `<nav>` and `<footer>`, to other sites, to listing, tag, author, login, legal or
    share pages and to files (images, PDF, feeds…) are left out. At most `max_links` are returned.
    """
    tree = parse_html(html)
    if tree is None or max_links <= 0:
        return []
    base = document_base(tree, base_url)
    home = canonical_url(base_url)
    links: list[str] = []
    seen = {home}
    # A home page repeats each article's href (picture, title, "lire la suite"): decide each once.
    decided: set[str] = set()
    for element in tree.iter("a"):
        href = element.get("href") or ""
        if href in decided or _in_navigation(element):
            continue
        decided.add(href)
        url = absolute_url(href, base)
        if not url or not same_site(url, base_url) or not looks_like_article(url):
            continue
        url = _canonical(url)
        if url in seen:
            continue
        seen.add(url)
        links.append(url)
        if len(links) >= max_links:
            break
    return links
