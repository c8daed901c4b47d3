"""How a story reads: the headline in each language, and a timeline that never lists a copy or a
translation above what it derives from when dates carry no time."""

from __future__ import annotations

from datetime import UTC, datetime

from actuel.reading.story import Placed, headline_choices, timeline_order

DAY = datetime(2026, 11, 20, tzinfo=UTC)  # a bare date: midnight sharp
SEEN = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute)


def test_a_bare_dated_translation_comes_after_its_original_of_the_same_day() -> None:
    members = [
        Placed(1, "en", "original", None, at(18, 40), SEEN),
        Placed(2, "fr", "translation", 1, DAY, SEEN),  # "2026-11-20": no time
        Placed(3, "fr", "copy", 2, at(23, 0), SEEN),
    ]
    assert timeline_order(members) == [1, 2, 3]


def test_a_copy_never_precedes_its_source_even_with_an_earlier_or_equal_time() -> None:
    members = [
        Placed(10, "fr", "copy", 11, at(7, 0), SEEN),  # its clock says it came first
        Placed(11, "fr", "original", None, at(9, 0), SEEN),
        Placed(12, "fr", "excerpt", 11, at(9, 0), SEEN),  # the same minute as its source
        Placed(13, "fr", "independent", None, at(8, 0), SEEN),
    ]
    order = timeline_order(members)
    assert order.index(11) < order.index(10)
    assert order.index(11) < order.index(12)
    assert order[0] == 13  # unrelated reports keep their time
    # equal times, no derivation: the original before the rest
    tied = [Placed(21, "fr", "independent", None, DAY), Placed(22, "fr", "original", None, DAY)]
    assert timeline_order(tied) == [22, 21]


def test_a_bare_date_comes_after_the_timed_reports_of_its_day() -> None:
    members = [
        Placed(1, "fr", "independent", None, DAY, SEEN),
        Placed(2, "fr", "original", None, at(10, 0), SEEN),
        Placed(3, "fr", "independent", None, datetime(2026, 11, 21, 6, 0, tzinfo=UTC), SEEN),
    ]
    assert timeline_order(members) == [2, 1, 3]


def test_a_derivation_cycle_or_a_missing_source_loses_no_member() -> None:
    members = [
        Placed(1, "fr", "copy", 2, at(9)),
        Placed(2, "fr", "copy", 1, at(10)),
        Placed(3, "fr", "copy", 99, at(8)),  # its source went to another story
    ]
    assert sorted(timeline_order(members)) == [1, 2, 3]
    assert timeline_order(members)[0] == 3


def test_the_headline_of_each_language_is_a_member_in_that_language() -> None:
    members = [
        Placed(1, "en", "original", None, at(18, 40), SEEN),
        # a machine translation, bare-dated: earliest by the calendar, copied by no one
        Placed(2, "fr", "translation", 1, DAY, SEEN),
        Placed(3, "fr", "translation", 1, at(21, 15), SEEN),
        Placed(4, "fr", "copy", 3, at(22, 0), SEEN),  # same title as 3: not a headline of its own
        Placed(5, "fr", "independent", None, at(19, 0), SEEN),  # a report of its own
        Placed(6, "en", "independent", None, at(19, 30), SEEN),
    ]
    choices = headline_choices(members, original_id=1)
    assert choices == {"en": 1, "fr": 3}


def test_the_original_keeps_its_own_language_and_others_fall_back_by_time() -> None:
    members = [
        Placed(1, "fr", "original", None, at(8), SEEN),
        Placed(2, "fr", "independent", None, at(7), SEEN),
        Placed(3, "en", "independent", None, at(12), SEEN),
        Placed(4, "en", "independent", None, at(11), SEEN),
        Placed(5, None, "copy", 1, at(13), SEEN),  # no language: no headline of its own
    ]
    assert headline_choices(members, original_id=1) == {"fr": 1, "en": 4}
    # no original stored (credited to an outlet we do not ingest): every language by the rule,
    # the report others copied before the earlier one nobody took up
    assert headline_choices(members, original_id=None) == {"fr": 1, "en": 4}
