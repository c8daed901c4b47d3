"""Direct quotes in an article and who said them: « … », a déclaré X; "…," X said.

Quotes survive copying and often translation, so the stories stage can compare them across reports.
Hand-written because no library reads French and English attribution; the verbs are data
(`SPEECH_VERBS_FR`, `SPEECH_VERBS_EN`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPEECH_VERBS_FR = (
    "a déclaré|a dit|a affirmé|a expliqué|a indiqué|a précisé|a souligné|a assuré|a ajouté|"
    "a estimé|a reconnu|a confié|a lancé|a insisté|a averti|a regretté|a martelé|a réagi|"
    "déclare|dit|affirme|explique|indique|précise|souligne|assure|ajoute|estime|reconnaît|"
    "confie|lance|insiste|avertit|regrette|martèle|réagit|selon|poursuit|conclut|résume|"
    "a poursuivi|a conclu|a résumé|détaille|a détaillé|raconte|a raconté|témoigne|a témoigné"
)
SPEECH_VERBS_EN = (
    "said|says|told|added|explained|stated|noted|warned|insisted|argued|declared|wrote|"
    "according to|recalled|admitted|acknowledged|continued|concluded|asked"
)
MIN_QUOTE_WORDS = 4  # shorter quoted runs are scare quotes (« bio », "smart"), not statements

_NAME_WORD = r"[A-ZÉÈÀÂÎÔÛÇ][\w'’.-]*"
_NAME = (
    rf"{_NAME_WORD}(?:\s+(?:(?:de|du|des|la|le|van|von|da|di|al|el|bin)\s+)?{_NAME_WORD}){{0,4}}"
)
# «…» and “…”, the straight "…" pair, and ‹…›; a quote never spans a blank line
_QUOTED = re.compile(r"«\s*(?P<fr>[^«»]+?)\s*»|“(?P<curly>[^“”]+?)”|\"(?P<straight>[^\"\n]+?)\"")
_AFTER_FR = re.compile(
    rf"^\s*,?\s*(?:{SPEECH_VERBS_FR})(?:-t-(?:il|elle))?\s+(?:(?:le|la|l'|l’)\s*)?"
    rf"(?:[\w'’-]+\s+){{0,4}}?(?P<name>{_NAME})"
)
_AFTER_EN = re.compile(
    rf"^\s*,?\s*(?:(?P<name1>{_NAME})\s+(?:{SPEECH_VERBS_EN})\b|(?:{SPEECH_VERBS_EN})\s+"
    rf"(?:the\s+)?(?:[a-z][\w'’-]*\s+){{0,3}}?(?P<name2>{_NAME}))"
)
# "Marie Durand, maire de la ville : « … »", "Jean Dupont a déclaré : « … »"
_BEFORE = re.compile(
    rf"(?P<name>{_NAME})(?:,[^,:«“\"]{{0,60}},?)?\s*(?:{SPEECH_VERBS_FR}|{SPEECH_VERBS_EN})?\s*:\s*$"
)
_PRONOUN_AFTER = re.compile(r"^\s*,?\s*\w+(?:-t-|-)(?:il|elle|ils|elles)\b")


@dataclass(frozen=True)
class Quote:
    """A quoted statement, its speaker when the text names one, and where it starts in the text."""

    text: str
    speaker: str | None
    start: int


def _speaker_after(rest: str) -> str | None:
    if _PRONOUN_AFTER.match(rest):
        return None
    for regex in (_AFTER_FR, _AFTER_EN):
        match = regex.match(rest[:200])
        if match:
            name = next(
                (v for k, v in match.groupdict().items() if k.startswith("name") and v), None
            )
            if name:
                return name.rstrip(".")
    return None


def _speaker_before(before: str) -> str | None:
    match = _BEFORE.search(before[-200:])
    return match.group("name") if match else None


def find_quotes(text: str) -> list[Quote]:
    """Direct quotes of at least MIN_QUOTE_WORDS words, in text order, with their speakers."""
    quotes: list[Quote] = []
    for match in _QUOTED.finditer(text):
        said = next(v for v in match.groupdict().values() if v is not None).strip()
        said = said.rstrip(",").strip()
        if len(said.split()) < MIN_QUOTE_WORDS:
            continue
        speaker = _speaker_after(text[match.end() :]) or _speaker_before(text[: match.start()])
        quotes.append(Quote(said, speaker, match.start()))
    return quotes
