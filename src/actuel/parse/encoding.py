"""Bytes to text: BOM, then the HTTP charset, then the XML prolog or <meta>, then detection.

Hand-written because feed parsers and browsers disagree here and each guesses wrong on some real
feeds: a prolog that lies (says ISO-8859-1 over UTF-8 bytes), a `<meta charset>` past the first
1024 bytes, Windows-1252 bytes labelled Latin-1. The order is ours; charset-normalizer does the
guessing when nothing is declared or the declaration cannot be right.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# `<?` or `<` followed by a letter, written in UTF-16/32 without a BOM.
_WIDE_STARTS: tuple[tuple[bytes, str], ...] = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)
# Browsers decode these labels as Windows-1252 (WHATWG Encoding): the bytes 0x80-0x9F are
# curly quotes, euro signs and dashes far more often than C1 control characters.
_AS_CP1252 = {"iso8859-1", "ascii", "cp1252"}

_WESTERN = set("€‚„…†‡‰‹›‘’“”•–—™ŒœŠšŽžŸ\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿")
_LATIN_WESTERN = {"cp1252", "iso8859-1", "iso8859-15"}
_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_PROLOG = re.compile(
    rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE
)
_META_CHARSET = re.compile(
    rb"""<meta\b[^<>]{0,512}?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_C1 = re.compile("[\x80-\x9f]")
_HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.IGNORECASE)
# How far we look for a late <meta charset> when the head runs long (comments, scripts).
_META_SCAN_LIMIT = 64 * 1024
_DETECT_SAMPLE = 256 * 1024


@dataclass(frozen=True)
class Sniffed:
    """The encoding chosen for a document and why."""

    encoding: str  # a Python codec name
    origin: str  # bom, utf16-sniff, http, prolog, meta, detected, default


def codec_name(label: str | bytes | None) -> str | None:
    """The Python codec for a charset label, or None for an unknown label."""
    if not label:
        return None
    text = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    try:
        return codecs.lookup(text.strip().strip("\"'")).name
    except LookupError:
        return None


def _is_utf8(content: bytes) -> bool:
    """Valid UTF-8, allowing a last character cut in half (a body truncated at the size cap)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(content, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _declared(content: bytes, content_type: str | None) -> tuple[str | None, str]:
    """The charset the HTTP header, then the prolog, then a <meta> tag declares."""
    if content_type:
        match = _CHARSET_PARAM.search(content_type.encode("latin-1", "ignore"))
        name = codec_name(match.group(1)) if match else None
        if name:
            return name, "http"
    head = content[:1024]
    match = _XML_PROLOG.match(head)
    if match:
        name = codec_name(match.group(1))
        if name:
            return name, "prolog"
    match = _META_CHARSET.search(head)
    if not match:
        # A long head pushes <meta> past the 1024 bytes browsers prescan; look on to the end of
        # the head (bounded) rather than guess.
        end = _HEAD_END.search(content, 0, _META_SCAN_LIMIT)
        match = _META_CHARSET.search(content, 0, end.start() if end else _META_SCAN_LIMIT)
    if match:
        name = codec_name(match.group(1))
        if name:
            return name, "meta"
    return None, "none"


def _looks_western(sample: bytes) -> bool:
    """True when the non-ASCII bytes read as sparse Western European letters in Windows-1252.

    Statistical detectors split short French text between cp1252, cp1250 and the Baltic pages
    (déją for déjà); accents sprinkled among ASCII letters are the signature of Western text, while
    Cyrillic or Greek single-byte text is mostly non-ASCII.
    """
    text = sample.decode("cp1252", errors="replace")
    foreign = [c for c in text if ord(c) > 127]
    letters = sum(1 for c in text if c.isalpha())
    if not foreign or "\ufffd" in foreign or len(foreign) * 4 > letters:
        return False
    return all(c in _WESTERN or "\u00c0" <= c <= "\u00ff" for c in foreign)


def _detect(content: bytes) -> str | None:
    if _looks_western(content[:_DETECT_SAMPLE]):
        return "cp1252"
    matches = list(from_bytes(content[:_DETECT_SAMPLE]))
    if not matches:
        return None
    best = matches[0]
    # Latin text fits cp1250, cp1252, cp1257... equally well; our readers are French-first,
    # so a tie goes to Windows-1252 (è, not č).
    for match in matches:
        tied = match.chaos <= best.chaos + 0.01 and match.coherence >= best.coherence - 0.05
        if tied and codec_name(match.encoding) in _LATIN_WESTERN:
            return "cp1252"
    return codec_name(best.encoding)


def sniff_encoding(content: bytes, content_type: str | None = None) -> Sniffed:
    """Choose the encoding of `content`: BOM > HTTP charset > prolog / <meta> > detection."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return Sniffed(name, "bom")
    for start, name in _WIDE_STARTS:
        if content.startswith(start):
            return Sniffed(name, "utf16-sniff")
    declared, origin = _declared(content, content_type)
    ascii_only = content.isascii()
    if declared is not None:
        if declared.startswith(("utf-16", "utf-32")):
            # A wide charset label on a body that starts like ASCII is a lie (no BOM, no sniff).
            declared = None
        elif declared in ("utf-8", "utf-8-sig"):
            if ascii_only or _is_utf8(content):
                return Sniffed("utf-8", origin)
            declared = None  # says UTF-8, is not: fall through to detection
        elif not ascii_only and _is_utf8(content):
            # Bytes that form valid multi-byte UTF-8 almost never come from a legacy charset;
            # the label is the stale part (a server default, a copied prolog).
            return Sniffed("utf-8", "detected")
        else:
            return Sniffed("cp1252" if declared in _AS_CP1252 else declared, origin)
    if ascii_only or _is_utf8(content):
        return Sniffed("utf-8", "default")
    guessed = _detect(content)
    if guessed and not guessed.startswith(("utf-16", "utf-32")):
        return Sniffed("cp1252" if guessed in _AS_CP1252 else guessed, "detected")
    return Sniffed("cp1252", "default")


def _c1_to_cp1252(match: re.Match[str]) -> str:
    try:
        return bytes([ord(match.group(0))]).decode("cp1252")
    except UnicodeDecodeError:
        return match.group(0)


def decode_document(content: bytes, content_type: str | None = None) -> str:
    """Text of an HTML page, feed or text file; never raises (undecodable bytes become U+FFFD).

    C1 control characters (U+0080-U+009F) are read as the Windows-1252 punctuation they almost
    always stand for (’ “ ” … € œ), as browsers and feedparser do.
    """
    sniffed = sniff_encoding(content, content_type)
    text = content.decode(sniffed.encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return _C1.sub(_c1_to_cp1252, text)
