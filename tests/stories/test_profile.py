"""A story profile's name gate: other people keep out, the story's own subject does not."""

from __future__ import annotations

from actuel.stories.profile import StoryProfile, Terms, TermStats, fit_features


def _terms(names: set[str], key: set[str], words: set[str]) -> Terms:
    return Terms(
        words=frozenset(words | names),
        title=frozenset(),
        names=frozenset(names),
        key_names=frozenset(key),
        numbers=frozenset(),
        years=frozenset(),
        lang="en",
    )


def _story_and_window(members: int) -> tuple[StoryProfile, TermStats]:
    """A story of `members` reports about the actress Marla Quen entering the Harbour clinic,
    in a window of 200 articles where her name is in every one of her story's reports (more
    than the window's share of a specific name: her own story makes her name common)."""
    story, stats = StoryProfile(), TermStats()
    for n in range(members):
        report = _terms(
            {"marla", "quen", "harbour", f"agent{n}"},
            {"quen"},
            {"actress", "clinic", "treatment", "rehab", f"w{n}"},
        )
        story.add(report)
        stats.add(report.words)
    for n in range(200 - members):
        stats.add({f"other{n}", f"place{n % 40}", "council"})
    return story, stats


def test_a_report_about_the_storys_own_subject_is_not_kept_out_by_her_fame() -> None:
    story, stats = _story_and_window(members=24)
    # about her ("Quen" twice), naming a film and a town the story's reports never named
    report = _terms({"quen", "terminator", "malibu"}, {"quen"}, {"actress", "rehab", "film"})
    assert fit_features(report, story, stats)["names_conflict"] == 0.0


def test_a_report_about_someone_else_is_still_kept_out() -> None:
    story, stats = _story_and_window(members=24)
    # the same clinic, another actress: the names it repeats are not the story's
    other = _terms({"dana", "velk", "harbour"}, {"velk", "dana"}, {"actress", "clinic", "rehab"})
    assert fit_features(other, story, stats)["names_conflict"] == 1.0


def test_a_report_naming_only_the_storys_people_once_each_is_not_kept_out() -> None:
    story, stats = _story_and_window(members=24)
    # names her once and the clinic once: no name repeated, every one the story's
    brief = _terms({"quen", "harbour"}, set(), {"actress", "clinic", "rehab"})
    assert fit_features(brief, story, stats)["names_conflict"] == 0.0
    # ...but one name of its own, and it may be about someone else
    other = _terms({"quen", "harbour", "velk"}, set(), {"actress", "clinic", "rehab"})
    assert fit_features(other, story, stats)["names_conflict"] == 1.0
