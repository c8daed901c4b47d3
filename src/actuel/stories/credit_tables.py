"""The words of credit lines, per language: triggers, outlet cues, wire agencies; data, not code.

Adding a language is adding rows to `PATTERNS` (and, if it helps, words to `OUTLET_WORDS`).
"""

from __future__ import annotations

from dataclasses import dataclass

# Credit kinds, strongest evidence of the original reporter first (see credits.KIND_WEIGHT).
WIRE = "wire"  # "(AFP)", "KALABA (AHP) -", "— Reuters", "(avec AFP)"
SOURCE = "source"  # "Source : X", "originally published by X"
TOLD_TO = "told_to"  # "a déclaré à POLITICO", "told Reuters"
ACCORDING_TO = "according_to"  # "selon Reuters", "according to X", "X reported"
REPORTING_BY = "reporting_by"  # "with reporting by X", "Additional reporting by X"
CITED_BY = "cited_by"  # "cité par X", "repris par X", "quoted by X"
READ_MORE = "read_more"  # "Lire la suite sur X": the site copied from, often a copier itself
KINDS = (WIRE, SOURCE, TOLD_TO, ACCORDING_TO, REPORTING_BY, CITED_BY, READ_MORE)

# What the words after (or before) a trigger must look like to count as an outlet:
ANY = "any"  # any capitalised name or domain: the trigger alone says it is a publication
OUTLET = "outlet"  # an outlet by its looks (cue word, acronym, domain) or a known name
KNOWN = "known"  # a known wire agency or an outlet the caller named


@dataclass(frozen=True)
class CreditPattern:
    """A phrase that introduces an outlet's name: "selon ", "told ", "Lire la suite sur "."""

    kind: str
    lang: str
    trigger: str  # a regular expression, matched case-insensitively; linear (no nested repeats)
    needs: str = OUTLET
    before: bool = False  # the name comes before the trigger: "Reuters reported"


_DAY = r"(?:\s+(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd['’]hui))?"
_FR_SAID = (
    r"(?:déclaré|indiqué|confié|précisé|expliqué|affirmé|assuré|raconté|dit|souligné|annoncé|"
    r"révélé|confirmé|fait\s+savoir)"
)
_FR_SAYS = (
    r"(?:déclare|indique|confie|précise|explique|affirme|assure|raconte|dit|souligne|confirme)"
)

PATTERNS: dict[str, tuple[CreditPattern, ...]] = {
    # the same words in French and English: the credit takes the article's language
    "": (CreditPattern(SOURCE, "", r"\bsources?\s*:\s*"),),
    "fr": (
        # a byline: "Par AFP"
        CreditPattern(WIRE, "fr", r"(?m)^[^\S\n]*par[^\S\n]+"),
        CreditPattern(
            SOURCE,
            "fr",
            r"\bpublié\s+(?:initialement|d['’]abord|à\s+l['’]origine|en\s+premier)\s+"
            r"(?:sur|dans|par)\s+",
            ANY,
        ),
        CreditPattern(
            SOURCE,
            "fr",
            r"\b(?:initialement|d['’]abord|originellement|à\s+l['’]origine)\s+"
            r"(?:publiée?|parue?)\s+(?:sur|dans|par)\s+",
            ANY,
        ),
        CreditPattern(
            SOURCE,
            "fr",
            r"\b(?:traduction|traduit)\s+d['’]un\s+article\s+"
            r"(?:publié\s+(?:par|dans|sur)|paru\s+dans|de|du|des)\s+",
            ANY,
        ),
        CreditPattern(
            READ_MORE,
            "fr",
            r"\blire\s+la\s+suite(?:\s+de\s+l['’](?:article|info|information))?\s+(?:sur|dans)\s+",
            ANY,
        ),
        CreditPattern(
            READ_MORE, "fr", r"\b(?:à\s+lire|article\s+(?:complet|original))\s+(?:sur|dans)\s+", ANY
        ),
        CreditPattern(ACCORDING_TO, "fr", r"\bselon\s+"),
        CreditPattern(ACCORDING_TO, "fr", r"\bd['’]après\s+"),
        CreditPattern(ACCORDING_TO, "fr", r"\b(?:a\s+(?:rapporté|révélé)|rapporte|révèle)\s+"),
        CreditPattern(
            ACCORDING_TO, "fr", r"\s(?:a\s+(?:rapporté|révélé)|rapporte|révèle)\b", before=True
        ),
        CreditPattern(
            TOLD_TO,
            "fr",
            rf"\b(?:(?:a|ont|avait|aurait)(?:-t-(?:il|elle|on)|-(?:ils|elles))?\s+{_FR_SAID}"
            rf"|{_FR_SAYS}(?:-t-(?:il|elle))?){_DAY}\s+(?:à|au|aux)\s+",
        ),
        CreditPattern(
            TOLD_TO,
            "fr",
            r"\bdans\s+(?:un\s+entretien|une\s+interview)\s+(?:accordée?\s+)?(?:à|au|aux)\s+",
        ),
        CreditPattern(TOLD_TO, "fr", r"\binterrogée?s?\s+par\s+"),
        CreditPattern(CITED_BY, "fr", r"\bcitée?s?\s+par\s+"),
        CreditPattern(CITED_BY, "fr", r"\b(?:repris|reprise|reprises|relayée?s?)\s+par\s+"),
    ),
    "en": (
        CreditPattern(
            SOURCE,
            "en",
            r"\b(?:originally|first)\s+(?:published|appeared)\s+(?:on|in|at|by)\s+",
            ANY,
        ),
        CreditPattern(
            READ_MORE,
            "en",
            r"\b(?:read\s+(?:more|the\s+full\s+(?:story|article))|continue\s+reading|full\s+story)"
            r"\s+(?:on|at)\s+",
            ANY,
        ),
        CreditPattern(
            SOURCE,
            "en",
            r"\bthis\s+(?:article|story|report)\s+(?:was\s+)?(?:originally\s+|first\s+)?"
            r"(?:published|appeared)\s+(?:on|in|at|by)\s+",
            ANY,
        ),
        CreditPattern(
            SOURCE, "en", r"\btranslated\s+from\s+an?\s+(?:article|report)\s+(?:by|in)\s+", ANY
        ),
        # a byline: "By The Associated Press"
        CreditPattern(WIRE, "en", r"(?m)^[^\S\n]*by[^\S\n]+"),
        CreditPattern(ACCORDING_TO, "en", r"\baccording\s+to\s+"),
        CreditPattern(ACCORDING_TO, "en", r"\b(?:as\s+)?(?:first\s+)?reported\s+by\s+"),
        CreditPattern(
            ACCORDING_TO,
            "en",
            r"\s(?:reported|reports|has\s+reported|first\s+reported|revealed)\b",
            before=True,
        ),
        CreditPattern(TOLD_TO, "en", r"\b(?:told|tells)\s+"),
        CreditPattern(
            TOLD_TO, "en", r"\b(?:said\s+)?in\s+an\s+interview\s+with\s+|\bspeaking\s+to\s+"
        ),
        CreditPattern(
            REPORTING_BY,
            "en",
            r"\b(?:with\s+)?(?:additional\s+)?reporting\s+(?:by|from)\s+",
        ),
        CreditPattern(CITED_BY, "en", r"\b(?:cited|quoted)\s+by\s+"),
        CreditPattern(TOLD_TO, "en", r"\bin\s+(?:comments|remarks|a\s+statement)\s+to\s+"),
    ),
    # a few rows in other languages: enough for wire copy ("laut dpa", "según EFE")
    "de": (
        CreditPattern(SOURCE, "de", r"\bquelle\s*:\s*"),
        CreditPattern(ACCORDING_TO, "de", r"\b(?:laut|nach\s+angaben\s+(?:der|des))\s+"),
        CreditPattern(TOLD_TO, "de", r"\bgegenüber\s+(?:der|dem|den)?\s*"),
    ),
    "es": (
        CreditPattern(SOURCE, "es", r"\bfuente\s*:\s*"),
        CreditPattern(ACCORDING_TO, "es", r"\bsegún\s+"),
        CreditPattern(TOLD_TO, "es", r"\b(?:dijo|declaró|afirmó|explicó|aseguró)\s+(?:a|al)\s+"),
    ),
}

# Words that make a capitalised name a publication rather than a person or an institution.
_OUTLET_WORDS = """
agence agency press presse post times journal courrier courier herald tribune gazette monde
matin soir dépêche depeche info infos média medias media magazine quotidien hebdo express
nouvelles news radio tv télé tele télévision television channel chronicle daily weekly
observer observateur echo écho actu actualité actualités dispatch telegraph guardian wire
mail mirror star sun standard globe examiner inquirer reporter bulletin courant libération
parisien figaro progrès républicain midi éclair presse-océan newsweek politico
zeitung rundschau nachrichten allgemeine diario periódico noticias
"""
OUTLET_WORDS = frozenset(_OUTLET_WORDS.split())

# Wire agencies and a few outlets every newsroom knows: display name, then other spellings.
WIRES: tuple[tuple[str, ...], ...] = (
    ("AFP", "Agence France-Presse", "Agence France Presse", "France-Presse"),
    ("Reuters", "Thomson Reuters"),
    ("AP", "Associated Press"),
    ("dpa", "DPA", "Deutsche Presse-Agentur"),
    ("ANSA",),
    ("EFE", "Agencia EFE"),
    ("Belga",),
    ("ATS", "Keystone-ATS"),
    ("APS", "Algérie Presse Service"),
    ("MAP", "Maghreb Arabe Presse"),
    ("TAP", "Tunis Afrique Presse"),
    ("APA", "Agence de presse africaine"),
    ("Xinhua",),
    ("Kyodo",),
    ("Anadolu",),
    ("Bloomberg",),
    ("UPI", "United Press International"),
    ("PA Media", "Press Association"),
    ("Europa Press",),
    ("Lusa",),
    ("TASS",),
    ("Interfax",),
    ("POLITICO", "Politico"),
    ("BBC",),
    ("CNN",),
    ("France 24",),
    ("RFI", "Radio France Internationale"),
    ("franceinfo", "Franceinfo", "France Info"),
    ("BFMTV", "BFM TV"),
    ("Mediapart",),
    ("Jeune Afrique",),
    ("TV5Monde", "TV5 Monde"),
    ("Euronews",),
    ("Al Jazeera",),
    ("Axios",),
)

# Capitals that are institutions, not outlets, when they follow "selon" or "according to".
_NOT_OUTLET_ACRONYMS = """
    ONU UN OMS WHO FMI IMF UE EU OTAN NATO INSEE OCDE OECD BCE ECB FBI CIA USA UK RDC
    ONG NGO UNICEF HCR UNHCR PNUD UNDP BM CEDEAO ECOWAS UA AU PIB GDP CNRS OIT ILO FAO
    FILE PHOTO PHOTOS VIDEO VIDEOS AUDIO UPDATE LIVE EXCLUSIVE CORRECTED ARCHIVES DIRECT
"""
NOT_OUTLET_ACRONYMS = frozenset(_NOT_OUTLET_ACRONYMS.split())

# Words that open a person's title or an institution: "selon le ministre", "selon Ministère …".
_NOT_OUTLET_WORDS = """
    ministre ministère minister ministry président présidente president gouvernement government
    police gendarmerie préfecture prefecture mairie université university institut institute
    banque bank commission syndicat union porte-parole spokesman spokeswoman spokesperson
    directeur directrice director chef chief maire mayor docteur doctor professeur professor
    lui elle eux him her them il they he she selon a an un une our notre nos
"""
NOT_OUTLET_WORDS = frozenset(_NOT_OUTLET_WORDS.split())

# Generic words for a publication before its name: "l'agence Reuters", "le quotidien Le Monde",
# "the British newspaper The Guardian"; the name after one of these needs no other cue.
_MEDIA_FR = (
    r"agence(?:\s+de\s+presse)?|quotidien|journal|hebdomadaire|mensuel|magazine|"
    r"site(?:\s+d['’]informations?|\s+internet|\s+web)?|chaîne(?:\s+de\s+télévision)?|"
    r"télévision|radio|média|confrères?(?:\s+(?:de|du|des|d['’]))?"
)
_MEDIA_EN = (
    r"news\s+agency|agency|newspaper|daily|weekly|news\s+site|website|outlet|broadcaster|"
    r"channel|network|tabloid|publication"
)
MEDIA_NOUN = (
    rf"(?:[A-Za-z-]+\s+)?(?:{_MEDIA_FR}|{_MEDIA_EN})"
    r"(?:\s+(?!(?:de|du|des|of|en|in|et|and)\b)[a-zà-ÿ-]{3,}){0,2}[^\S\n]+"
    r"(?=[A-ZÀ-ÖØ-Þ0-9]|(?:l['’]|the\s|le\s|la\s|les\s)[A-ZÀ-ÖØ-Þ]|[a-z0-9-]+\.[a-z]{2,})"
)

# Lower-case words that join the capitalised words of one name ("Courrier du Littoral").
CONNECTORS = frozenset(
    ("de", "du", "des", "d", "la", "le", "les", "l", "of", "the", "and", "&", "et")
)
# Articles dropped before a name ("l'Agence …", "the Herald"), kept when capitalised in a title.
LEADING_ARTICLES = ("l'", "le ", "la ", "les ", "the ", "au ", "aux ", "du ", "un ", "une ", "a ")
