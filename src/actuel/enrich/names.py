"""People's names and speech verbs around quotes, per language: the data and the name finder.

Hand-written because attribution ("a déclaré la ministre Awa Nfor", "Kirby said") needs only a
few dozen verbs and a rule for capitalised words, where an NLP library would load a model per
language for each article. Adding a language is adding rows to `SPEECH_VERBS` and `PRONOUNS`.
"""

from __future__ import annotations

import re

_FR_VERBS = """
déclaré déclare dit affirmé affirme ajouté ajoute expliqué explique indiqué indique estimé estime
assuré assure souligné souligne précisé précise confié confie lancé lance prévenu prévient
martelé martèle insisté insiste reconnu reconnaît répondu répond poursuivi poursuit conclu conclut
commenté commente déploré déplore dénoncé dénonce averti avertit rappelé rappelle annoncé annonce
observé observe raconté raconte témoigné témoigne confirmé confirme admis admet noté note jugé
juge tranché tranche résumé résume lâché lâche glissé glisse regretté regrette plaidé plaide
soutenu soutient écrit répété répète détaillé détaille demandé demande promis promet réagi réagit
interrogé exclamé exclame réjoui réjouie réjouit félicité félicitée félicite soupire soupiré
inquiète inquiété inquiétée indigne indigné indignée tempère tempéré salué salue fustigé fustige
selon d'après
"""
_EN_VERBS = """
said says told tells added adds explained explains stated states noted notes declared declares
insisted insists warned warns argued argues wrote writes tweeted replied replies acknowledged
recalled recalls continued continues conceded concedes claimed claims admitted admits announced
announces remarked observed asked asks urged urges according\\s+to
"""
SPEECH_VERBS: dict[str, tuple[str, ...]] = {
    "fr": tuple(_FR_VERBS.split()),
    "en": tuple(_EN_VERBS.split()),
}
_PRONOUN_LIST = "il elle ils elles on he she they we nous"
PRONOUNS = frozenset(_PRONOUN_LIST.split())
# French auxiliaries and inversions around a participle: "a déclaré", "a-t-il ajouté"
_AUX = re.compile(
    r"^(?:a|avait|aurait|ont|avaient|has|had|s['’]est|se\s+sont|s['’]|se"
    r"|a-t-(?P<inv>il|elle|on)|ont-(?P<inv2>ils|elles))$",
    re.IGNORECASE,
)
# capitalised words that open sentences or titles, never a person's name on their own
_STOP = """
le la les l' un une des du de the a an this that these those il elle ils elles on he she they we
nous vous ce cette ces mais but and et or ou pour selon d'après according en in at au aux à dans
lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday
saturday sunday son sa ses leur leurs his her their its mr mrs ms dr dr. m. mme mlle pr me
depuis après avant alors ainsi quand lorsque si however after before when if then puis
celle-ci celui-ci ceux-ci celles-ci objectif it there here what who i you yes no web
"""
STOP_CAPITALS = frozenset(_STOP.split())
_TITLES = """
Dr Dre Pr Prof Mr Mrs Ms M Mme Mlle Me Sir Dame Gen Gén Brig Col Lt Capt Cpl Sgt Maj Adm Gov Sen
Rep Insp Supt Rev Mgr St
"""
TITLE_ABBREVIATIONS = tuple(_TITLES.split())  # "Dr.", "Cpl.": no sentence ends after these
_HONORIFIC = re.compile(rf"^(?:{'|'.join(TITLE_ABBREVIATIONS)})\.?$")
# a name right after one of these belongs to a place, an institution or an outlet
_PREPOSITION_WORDS = (
    "de du des d' d’ l' l’ la le les à au aux of the at for in en from by par sur on to"
)
_PREPOSITIONS = frozenset(_PREPOSITION_WORDS.split())
# words that make a capitalised run a publication, not a person ("au Meridian Post Ellen Ryder")
_OUTLET_WORD_LIST = """
agence agency press presse post times journal courrier herald tribune gazette monde matin soir
news radio tv magazine express nouvelles daily weekly média médias media
"""
_OUTLET_WORDS = frozenset(_OUTLET_WORD_LIST.split())
_UPPER = "A-ZÀ-ÖØ-ÞŒŠŽŸ"
_CAP_WORD = rf"[{_UPPER}][\w'’\-]*\.?"
_NAME_RUN = re.compile(
    rf"{_CAP_WORD}(?:[^\S\n]+(?:(?:de|du|van|von|der|da|di|del|bin|ben|ibn|al|el)[^\S\n]+)?"
    rf"{_CAP_WORD})*"
)
_ACRONYM = re.compile(rf"[{_UPPER}]{{2,}}")
_INSTITUTION_NEXT = re.compile(r"\s+(?:de|du|des|d['’]|of)\s*[a-zà-ÿ]")
_WORDS = re.compile(r"[\w'’\-.]+")


def verb_pattern(langs: tuple[str, ...] | None = None) -> re.Pattern[str]:
    """One regex for the speech verbs of `langs` (all languages when None)."""
    chosen = SPEECH_VERBS if langs is None else {k: SPEECH_VERBS[k] for k in langs}
    verbs = sorted({v for rows in chosen.values() for v in rows}, key=len, reverse=True)
    inverted = r"(?:-t-(?P<inv>il|elle|on)|-(?P<inv2>ils|elles|il|elle))?"
    return re.compile(rf"(?<![\w-])(?P<verb>{'|'.join(verbs)}){inverted}(?![\w])")


def aux_pronoun(words: str) -> tuple[bool, str | None]:
    """Whether `words` (what stands between a quote and its verb) is only an auxiliary, and the
    pronoun it inverts: "a" → (True, None); "a-t-il" → (True, "il"); "Kirby" → (False, None)."""
    stripped = words.strip(" \t,;–—-")
    if not stripped:
        return True, None
    match = _AUX.match(stripped)
    if not match:
        return False, None
    return True, match.group("inv") or match.group("inv2")


def pronoun(words: str) -> str | None:
    """The pronoun that `words` consists of ("he", "Elle"), or None."""
    stripped = words.strip(" \t,;–—-").lower()
    parts = stripped.split()
    if parts and parts[0] in PRONOUNS and all(_AUX.match(p) for p in parts[1:]):
        return parts[0]
    return None


def _split_run(tokens: list[str]) -> list[list[str]]:
    """Cut a run of capitalised words after an outlet word or an acronym ("AHP Bernadette …")."""
    parts: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        parts[-1].append(token)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        outlet = token.lower().strip(".") in _OUTLET_WORDS
        acronym = bool(_ACRONYM.fullmatch(token)) and nxt[:1].isupper() and not nxt.isupper()
        if nxt and (outlet or acronym):
            parts.append([])
    return [p for p in parts if p]


def _clean(tokens: list[str]) -> list[str]:
    """Drop sentence-opening words and honorifics: "Le", "Dr.", "Mme"; a possessive ends it."""
    while tokens and (tokens[0].lower() in STOP_CAPITALS or _HONORIFIC.match(tokens[0])):
        tokens = tokens[1:]
    if tokens and tokens[0][:2].lower() in ("l'", "l’", "d'", "d’"):
        return []  # "L'Autorité portuaire": an institution with its article
    if any(t[-2:] in ("'s", "’s") for t in tokens):
        return []
    while tokens and tokens[-1].lower() in STOP_CAPITALS:
        tokens = tokens[:-1]  # "S. At": a name does not end on "At"
    if all(len(t.rstrip(".")) <= 1 for t in tokens):
        return []
    if len(tokens) == 1 and (_ACRONYM.fullmatch(tokens[0]) or len(tokens[0]) < 2):
        return []
    if any(t.lower().strip(".") in _OUTLET_WORDS for t in tokens):
        return []
    return tokens


def person_names(segment: str) -> list[tuple[str, int, int]]:
    """People's names in `segment`, in order, as (name, start, end).

    A run of capitalised words counts unless it follows a preposition or article ("ministre des
    Mines", "de la Maison Blanche", "à l'AHP"), is an acronym, or names an outlet.
    """
    found: list[tuple[str, int, int]] = []
    for match in _NAME_RUN.finditer(segment):
        tokens = match.group().split()
        offset = match.start()
        cursor = offset
        for part in _split_run(tokens):
            start = segment.find(part[0], cursor)
            end = segment.find(part[-1], start) + len(part[-1])
            cursor = end
            previous = _WORDS.findall(segment[max(0, start - 12) : start])
            before = previous[-1].lower() if previous else ""
            if segment[max(0, start - 2) : start].lower() in ("l'", "l’", "d'", "d’"):
                before = "l'"
            if before in _PREPOSITIONS:
                if len(part) < 4:
                    continue
                # "de Eastmere Minerals Graham Tolliver": the firm, then the person
                start, part = segment.find(part[-2], start), part[-2:]
            cleaned = _clean(part)
            if len(cleaned) == 1 and _INSTITUTION_NEXT.match(segment, end):
                continue  # "Le Parti du progrès", "Ministry of Health": not a person
            if cleaned:
                name = " ".join(cleaned).rstrip(".")
                found.append((name, segment.find(cleaned[0], start), end))
    return found
