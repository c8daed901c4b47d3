"""Site-template leftovers trafilatura keeps: share bars, comment forms, "Lire aussi" boxes, pixels.

Data-driven, French and English: `TEMPLATE_BLOCK_WORDS` name template blocks (by class or id)
dropped before extraction, `JUNK_LINES` whole lines dropped after it, `JUNK_PREFIXES` short lines
that start like a teaser or a banner. Each rule was kept only if the Zyte benchmark F1 did not drop
(bench/extract.py: F1 0.967 with and without them; dropping a repeated title raised it to 0.969).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Blocks whose class or id says they are template, not article: related-links boxes, share bars,
# cookie banners, comment forms. trafilatura removes many of these already; these are the ones
# French and English news templates use that it keeps.
TEMPLATE_BLOCK_WORDS = (
    "lire-aussi",
    "lireaussi",
    "lire_aussi",
    "a-lire",
    "alire",
    "read-also",
    "read-more-box",
    "voir-aussi",
    "sharedaddy",
    "share-buttons",
    "social-share",
    "partage",
    "partager",
    "cookie-banner",
    "cookie-consent",
    "cookie-notice",
    "comment-respond",
    "comment-form",
    "newsletter-signup",
)
# a word counts only between non-alphanumeric characters: "bloc-a-lire" yes, "salire" no
_BLOCK_RE = re.compile(
    "(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in TEMPLATE_BLOCK_WORDS) + ")(?![a-z0-9])"
)
_KEEP_TAGS = {"html", "body", "main", "article"}


def prune_template_blocks(tree: HtmlElement) -> int:
    """Drop, in place, elements whose class or id names a template block; returns how many."""
    doomed = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _KEEP_TAGS:
            continue
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        if marks != " " and _BLOCK_RE.search(marks.lower()):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return len(doomed)


# Whole lines (case-insensitive, surrounding punctuation ignored) that are never article text.
JUNK_LINES: list[str] = [
    # French
    r"partager( cet article| l'article| sur (facebook|twitter|x|linkedin|whatsapp|bluesky))?",
    r"(laisser|laissez|ajouter|écrire|poster) un commentaire",
    r"(\d+ )?commentaires?",
    r"réagir( à cet article)?",
    r"imprimer( cet article)?",
    r"envoyer (par (e-?mail|courriel)|à un ami)",
    r"(à |a )?lire (aussi|également|egalement)",
    r"(à |a )?voir (aussi|également|egalement)",
    r"sur le même sujet",
    r"vous aimerez aussi",
    r"publicité",
    r"abonnez-vous( à (la|notre) newsletter)?",
    r"s'abonner",
    r"tous droits réservés",
    r"(accepter|refuser|paramétrer)( les cookies| et fermer)?",
    r"(vous avez aimé|cet article vous a plu)[^.!?]{0,40}[?!.]*( partagez-le)?",
    r"suivez-nous( sur .{1,60})?",
    r"dernières (nouvelles|infos|actualités)",
    r"votre adresse (e-mail|email|de messagerie) ne sera pas publiée.{0,120}",
    r"les champs obligatoires sont indiqués avec.{0,10}",
    r"ce contenu a été publié dans .{1,200}",
    r"(publié|mis à jour|modifié) le \d{1,2}[/.]\d{1,2}[/.]\d{2,4}( à \d{1,2} ?[:h] ?\d{2})?"
    r"( par .{1,80})?",
    # English
    r"share( this( article| story| post)?| on (facebook|twitter|x|linkedin|whatsapp|bluesky))?",
    r"(leave|post|add) a (comment|reply)",
    r"click to share on .{1,40}",
    r"tweet",
    r"print( this (article|page))?",
    r"email( this (article|story))?",
    r"advertisement",
    r"related (articles|stories|posts)",
    r"you (may|might) also like",
    r"read (also|more)",
    r"sign up for (our|the) newsletter",
    r"all rights reserved",
    r"follow us( on .{1,60})?",
    r"latest news",
    r"your email address will not be published.{0,120}",
    r"required fields are marked.{0,10}",
    r"this entry was posted in .{1,200}",
    r"(published|updated|posted)( on)? [^.!?]{3,40}?\d{4}( at \d{1,2}:\d{2}( ?[ap]m)?)?"
    r"( by .{1,80})?",
    # tracking pixels whose alt text leaks into the text
    r"fbpx",
]

# Short lines that start a teaser link or a banner; dropped when under MAX_PREFIX_LINE characters.
JUNK_PREFIXES: list[str] = [
    r"(à |a )?lire (aussi|également|egalement)\s*[:：.-]",
    r"(à |a )?voir (aussi|également|egalement)\s*[:：.-]",
    r"nous utilisons des cookies",
    r"ce site utilise des cookies",
    r"we use cookies",
    r"this (web)?site uses cookies",
]
MAX_PREFIX_LINE = 300

_PUNCT = " \t\u00a0:：-–—•·|>»«\"'()[].!?…"
_LINE_RE = re.compile("|".join(f"(?:{p})" for p in JUNK_LINES), re.IGNORECASE)
_PREFIX_RE = re.compile("|".join(f"(?:{p})" for p in JUNK_PREFIXES), re.IGNORECASE)


# A navigation bar flattened into one line: "| POLITIQUE | ÉCONOMIE | SPORT |". Only capitals, so
# that tables (which trafilatura also writes with pipes) are kept.
_NAV_ITEM = r"[A-ZÀ-Ý][A-ZÀ-Ý0-9' -]{0,24}"
_NAV_BAR = re.compile(rf"\|?(?:\s*{_NAV_ITEM}\s*\|){{2,}}\s*(?:{_NAV_ITEM})?")


def is_junk_line(line: str) -> bool:
    """True for a line that is a site-template leftover, not article text."""
    if _NAV_BAR.fullmatch(line.strip()):
        return True
    stripped = line.strip(_PUNCT)
    if not stripped:
        return False
    if _LINE_RE.fullmatch(stripped):
        return True
    return len(stripped) <= MAX_PREFIX_LINE and _PREFIX_RE.match(stripped) is not None


def remove_junk_lines(text: str) -> str:
    """The text without template lines; blank runs folded to one blank line."""
    kept = [line for line in text.splitlines() if not is_junk_line(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def drop_leading_title(text: str, title: str | None) -> str:
    """The text without a first line that only repeats the title (pages often repeat their <h1>)."""
    if not title or not text:
        return text
    first, _, rest = text.partition("\n")
    if " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.lstrip("\n")
    return text


_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


def strip_site_name(title: str | None, site_names: list[str | None]) -> str | None:
    """The title without a trailing (or leading) " | Site name" that templates append."""
    if not title:
        return title
    names = {" ".join(n.split()).casefold() for n in site_names if n and n.strip()}
    for separator in _SEPARATORS:
        head, sep, tail = title.rpartition(separator)
        if sep and head.strip() and " ".join(tail.split()).casefold() in names:
            return head.strip()
        head, sep, tail = title.partition(separator)
        if sep and tail.strip() and " ".join(head.split()).casefold() in names:
            return tail.strip()
    return title
