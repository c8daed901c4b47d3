"""Who reported first: derivations over clocks, wrong clocks ignored, credited outlets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from actuel.model import Credit, Relation, RelationKind, StoryDoc
from actuel.stories.cluster import StoryClusterer
from actuel.stories.provenance import choose_original
from actuel.times import day_only, latest_time, reliable_time

T0 = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)


def doc(
    doc_id: str,
    at: datetime | None,
    *,
    source: str | None = None,
    seen: datetime | None = None,
) -> StoryDoc:
    return StoryDoc(
        id=doc_id, title=doc_id, text="", published_at=at, source=source, first_seen_at=seen
    )


def copy_of(derived: str, source: str) -> Relation:
    return Relation(derived, source, RelationKind.COPY, 0.95)


def test_the_earliest_article_not_derived_from_another_is_the_original() -> None:
    docs = [doc("late", T0 + timedelta(hours=3)), doc("early", T0), doc("mid", T0 + timedelta(1))]
    assert choose_original(docs, [], {}) == ("early", None)


def test_a_derived_article_is_never_the_original_even_with_an_earlier_date() -> None:
    docs = [doc("report", T0), doc("copy", T0 - timedelta(hours=2))]
    assert choose_original(docs, [copy_of("copy", "report")], {}) == ("report", None)


def test_a_date_later_than_first_seen_is_a_wrong_clock() -> None:
    # "b" claims 07:00 but we saw it only at 09:00; "a" claims 08:00 and we saw it at 08:05
    a = doc("a", T0, seen=T0 + timedelta(minutes=5))
    b = doc("b", T0 + timedelta(days=2), seen=T0 + timedelta(hours=1))
    assert reliable_time(b) == T0 + timedelta(hours=1)
    assert choose_original([b, a], [], {}) == ("a", None)


def test_a_date_more_than_a_day_ahead_is_ignored() -> None:
    now = T0 + timedelta(hours=6)
    future = doc("future", now + timedelta(days=3))
    assert reliable_time(future, now=now) is None
    # a copy from the future cannot pass for the original, whatever its (ignored) date says
    docs = [future, doc("today", T0)]
    assert choose_original(docs, [], {}, now=now) == ("today", None)


def test_time_zones_are_compared_as_instants() -> None:
    paris = timezone(timedelta(hours=1))
    # 08:30 in Paris is 07:30 UTC: earlier than 08:00 UTC
    docs = [doc("utc", T0), doc("paris", datetime(2026, 11, 17, 8, 30, tzinfo=paris))]
    assert choose_original(docs, [], {}) == ("paris", None)
    # a naive date is read as UTC instead of raising on the comparison
    naive = doc("naive", datetime(2026, 11, 17, 7, 45))
    assert choose_original([*docs, naive], [], {}) == ("paris", None)


def test_undated_articles_come_after_dated_ones_in_the_order_seen() -> None:
    docs = [doc("undated-1", None), doc("dated", T0 + timedelta(days=1)), doc("undated-2", None)]
    assert choose_original(docs, [], {}) == ("dated", None)
    assert choose_original([docs[0], docs[2]], [], {}) == ("undated-1", None)


def test_no_articles_no_original() -> None:
    assert choose_original([], [], {}) == (None, None)


def test_an_outlet_credited_but_not_ingested_is_the_original_credit() -> None:
    docs = [doc("portal", T0, source="Le Portail"), doc("copy", T0 + timedelta(1), source="Blog")]
    credits = {
        "portal": [Credit("POLITICO", "told_to", "a déclaré à POLITICO", "fr", 0.4)],
        "copy": [Credit("POLITICO", "told_to", "a déclaré à POLITICO", "fr", 0.4)],
    }
    original, credit = choose_original(docs, [copy_of("copy", "portal")], credits)
    assert (original, credit) == ("portal", "POLITICO")


def test_an_agency_signing_its_own_dispatch_is_not_a_credit() -> None:
    docs = [doc("ahp", T0, source="AHP"), doc("copy", T0 + timedelta(hours=1), source="Kalaba")]
    credits = {"ahp": [Credit("AHP", "wire", "(AHP)", "fr", 0.0)]}
    assert choose_original(docs, [copy_of("copy", "ahp")], credits) == ("ahp", None)


def test_a_credit_to_an_outlet_of_the_story_points_at_its_article() -> None:
    # the portal's clock says it was first, but it says it took the report from the Courrier
    docs = [
        doc("portal", T0, source="Le Portail Citoyen"),
        doc("courrier", T0 + timedelta(hours=1), source="Le Courrier du Littoral"),
    ]
    credits = {"portal": [Credit("Le Courrier du Littoral", "source", "Source : …", "fr", 1.0)]}
    assert choose_original(docs, [], credits) == ("courrier", None)


def test_credit_lines_in_the_text_name_the_original_outlet_end_to_end() -> None:
    text = (
        "Le ministre kalandais des Transports, Éloi Mbarga, a annoncé mardi la fermeture pour "
        "trois semaines de la ligne ferroviaire entre Port-Ambre et Kalaba, après l'effondrement "
        "d'un talus près de Dobéri. « Aucun train ne circulera avant le 9 décembre », a déclaré "
        "Éloi Mbarga à l'Agence France-Presse (AFP). Quelque 14 000 voyageurs empruntent chaque "
        "jour cette ligne, selon la compagnie nationale, qui promet des cars de remplacement."
    )
    title = "La ligne Port-Ambre–Kalaba fermée trois semaines"
    first = StoryDoc("a1", title, text, published_at=T0, lang="fr", source="Kalaba Matin")
    later = T0 + timedelta(hours=2)
    again = StoryDoc("a2", title, text, published_at=later, lang="fr", source="Le Portail")
    clusterer = StoryClusterer(now=T0 + timedelta(days=1))
    clusterer.add_many([first, again])
    [story] = clusterer.stories()
    assert story.original_id == "a1"
    assert story.original_credit is not None and "AFP" in story.original_credit


def test_a_bare_date_comes_after_the_timed_reports_of_its_day() -> None:
    midnight = datetime(2026, 11, 20, tzinfo=UTC)
    bare = doc("bare", midnight)
    timed = doc("timed", midnight + timedelta(hours=18, minutes=40))
    assert choose_original([bare, timed], [], {}) == ("timed", None)
    # ...but before those of the next day, and first-seen still bounds it
    tomorrow = doc("tomorrow", midnight + timedelta(days=1, hours=7))
    assert choose_original([tomorrow, bare], [], {}) == ("bare", None)
    seen_early = doc("seen", midnight, seen=midnight + timedelta(hours=2))
    assert latest_time(seen_early) == midnight + timedelta(hours=2)
    assert day_only(bare) and not day_only(timed)
