"""An article's rubrique (subject section: politique, économie, sport…), from the publisher's own
categories when one names a section, else from the words of its title and lead.

Written by hand: no library classifies news by section in French and English without a model
trained on data we do not have, and the publishers' categories are free text ("Actualité > Foot",
"Business"). The words are stems matched at the start of accent-folded tokens, in French and
English; a rubrique is chosen only with enough evidence and a clear lead over the runner-up, so
that an article it cannot tell is left without one rather than filed at random. Calibrated on
real headlines (bench/rubriques.py); an editor may set any article's rubrique in the admin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from actuel.text import fold

RUBRIQUES = ("politique", "economie", "societe", "sante", "sport", "culture", "sciences")
MIN_SCORE = 2.0  # a title word counts 2, a lead word 1: one title word, or two of the lead
MIN_LEAD = 1.0  # over the runner-up
LEAD_WORDS = 60  # of the text, when there is no summary: the lead is what says the subject
TITLE_WEIGHT = 2.0

# A publisher's category (folded, punctuation as spaces) naming a section: any of its words.
CATEGORY_WORDS: dict[str, str] = {
    word: rubrique
    for rubrique, words in {
        "politique": "politique politiques politics political elections election gouvernement "
        "government parlement parliament",
        "economie": "economie economy economic economics business finance finances marches "
        "markets bourse entreprises companies emploi money argent",
        "societe": "societe society faits_divers justice education police religion",
        "sante": "sante health medecine medicine",
        "sport": "sport sports football foot basketball basket rugby tennis athletisme cyclisme",
        "culture": "culture arts art musique music cinema film films livres books "
        "entertainment spectacles people showbiz",
        "sciences": "sciences science technologie technology tech numerique digital "
        "environnement environment climat climate",
    }.items()
    for word in words.split()
}

# Stems per rubrique: a token counts for the longest stem it starts with (a stem ending in "="
# only for that very word: "foot" is not "footage"); each stem once per article.
STEMS: dict[str, tuple[str, ...]] = {
    rubrique: tuple(words.split())
    for rubrique, words in {
        "politique": (
            "ministr minister gouvern govern parlement parliament senat deput election elector "
            "scrutin referend presidenti politi legislat congress opposit democra dictat "
            "coalition mayor maire decret constitution diplomat ambassad embass candidat ballot "
            "vote prime="
        ),
        "economie": (
            "econom financ bours stock share entrepris compan business invest banque bank "
            "inflation croissance chomage unemploy salair wage tarif export import commerc "
            "trade profit benefic revenu dollar euro fcfa budget impot tax= taxes= fiscal dett "
            "debt gdp= merger acquisit earning ceo= pdg= industri usine factory factories price "
            "ventes sales petrol oil= gas= dock portuair cacao cocoa cafe coffee yield bond "
            "fed= ecb= bce= ipo= nasdaq dow= wall= market marches= greve strike syndica"
        ),
        "societe": (
            "justic tribunal proces= trial police policier arrest interpel crime crimin prison "
            "ecole school educat etudiant student universit famil femme women jeunes youth "
            "accident incendi fire= inond flood religi eglise church mosque manifest protest "
            "logement housing migrant refug meurtr murder victim enquet investigat"
        ),
        "sante": (
            "sante health hopita hospital medec medic malad diseas virus epidem pandem vaccin "
            "cholera paludism malaria cancer patient docteur doctor infirm nurse ebola covid "
            "sida= hiv= aids= diabet obes fda= therap clini chirurg surger surgeo surgic drug "
            "pharma heart coeur alzheimer autism study etude mortalit nutrition tabac tobacco "
            "smok cigarett mers= flu= grippe"
        ),
        "sport": (
            "football foot= match championn championship ligue league coupe cup= joueur player "
            "entraineur coach stade stadium tournoi tournament olympi athlet tennis basket "
            "rugby cycli marathon medaill medal fifa uefa nba= nfl= goal buteur selectionneur "
            "victoire defaite sport boxe boxing golf= handball"
        ),
        "culture": (
            "musique music concert festival film cinema movie album chanson song artist theatr "
            "theater expositi exhibit livre book roman= romancier novel ecrivain writer musee "
            "museum danse dance jazz star= stars= celebrit actor actress acteur actric oscar "
            "grammy hollywood tv= televis series episode netflix spectacl showbiz singer "
            "chanteu rapper rappeu kardashian bieber cyrus trailer box= wedding divorc pregnan "
            "baby fashion throne comic broadway sequel remake"
        ),
        "sciences": (
            "scien recherch research chercheur technolog tech numeriq digital internet informat "
            "comput logiciel software smartphone apple google microsoft samsung facebook "
            "twitter app= apps= nasa satellit climat environnement environment biodivers robot "
            "cyber data donnees telecom mobile iphone ipad android windows xbox playstation "
            "gadget tablet ordinateur spac planet astronom fossil species especes energ solar "
            "solair carbon emission whatsapp amazon bitcoin hack online web= website browser"
        ),
    }.items()
}
WORD = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class Rubrique:
    """A rubrique and where it came from: `category` (the publisher's), `text`, `editor`."""

    slug: str
    by: str


def from_categories(categories: Iterable[str]) -> str | None:
    """The first of the publisher's categories that names a section, as our rubrique."""
    for category in categories:
        words = WORD.findall(fold(category).replace("faits divers", "faits_divers"))
        # "Actualité > Foot > Ligue 1": the most specific part is the last
        for word in reversed(words):
            if word in CATEGORY_WORDS:
                return CATEGORY_WORDS[word]
    return None


def _index() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """Exact words, and prefix stems by their first letter, each with its rubrique."""
    exact: dict[str, str] = {}
    prefixes: dict[str, list[tuple[str, str]]] = {}
    for rubrique, stems in STEMS.items():
        for stem in stems:
            if stem.endswith("="):
                exact[stem[:-1]] = rubrique
            else:
                prefixes.setdefault(stem[0], []).append((stem, rubrique))
    return exact, prefixes


EXACT, PREFIXES = _index()


def _evidence(token: str) -> tuple[str, str] | None:
    """(rubrique, stem) a token stands for: the word itself, else its longest stem."""
    if token in EXACT:
        return EXACT[token], token + "="
    best: tuple[str, str] | None = None
    for stem, rubrique in PREFIXES.get(token[0], ()):
        if token.startswith(stem) and (best is None or len(stem) > len(best[1])):
            best = (rubrique, stem)
    return best


def scores(title: str, lead: str) -> dict[str, float]:
    """Evidence per rubrique: each stem met counts once, 2 in the title, else 1 in the lead."""
    found: dict[tuple[str, str], float] = {}
    for weight, text in ((TITLE_WEIGHT, title), (1.0, lead)):
        for token in WORD.findall(fold(text)):
            key = _evidence(token)
            if key is not None:
                found[key] = max(found.get(key, 0.0), weight)
    totals: dict[str, float] = {}
    for (rubrique, _stem), weight in found.items():
        totals[rubrique] = totals.get(rubrique, 0.0) + weight
    return totals


def from_text(
    title: str, lead: str, *, min_score: float = MIN_SCORE, min_lead: float = MIN_LEAD
) -> str | None:
    """The rubrique the words point to, when they point clearly enough; else None."""
    ranked = sorted(scores(title, lead).items(), key=lambda pair: -pair[1])[:2]
    if not ranked or ranked[0][1] < min_score:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0][0] if ranked[0][1] - runner_up >= min_lead else None


def lead_of(summary: str | None, text: str | None) -> str:
    """What says an article's subject besides its title: its summary, else its first words."""
    if summary and summary.strip():
        return summary
    return " ".join((text or "").split()[:LEAD_WORDS])


def classify(
    title: str, summary: str | None, text: str | None, categories: Sequence[str] = ()
) -> Rubrique | None:
    """The article's rubrique: its publisher's categories first, then its words."""
    named = from_categories(categories)
    if named is not None:
        return Rubrique(named, "category")
    found = from_text(title, lead_of(summary, text))
    return Rubrique(found, "text") if found is not None else None
