"""Look-alike events stay apart and rewrites of one event come together (hard negatives).

Every text here is invented for this test: two earthquakes a year apart in one valley, two strikes
in two cities the same week (in French), two ministers resigning the same week. Each event is told
three times by three newsrooms in their own words, as independent reports are: they share who,
what, where and when, not sentences. Topic words alone must never join two events.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from actuel.model import StoryDoc
from actuel.stories.cluster import StoryClusterer
from actuel.stories.encoder import Encoder

T0 = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)

# event -> (language, date of the first report, [(outlet, title, text), ...])
EVENTS: dict[str, tuple[str, datetime, list[tuple[str, str, str]]]] = {
    "quake-2025": (
        "en",
        T0 - timedelta(days=365),
        [
            (
                "Valley Courier",
                "Magnitude 6.1 earthquake kills 14 in the Varenne valley",
                "A magnitude 6.1 earthquake struck the Varenne valley before dawn on Sunday, "
                "killing at "
                "least 14 people and injuring 60, the regional emergency office said. The "
                "epicentre lay "
                "four kilometres north of Lisford, where the old market hall collapsed and two "
                "schools "
                "were badly damaged. Governor Helen Marsh declared a state of emergency in Lisford "
                "and "
                "three neighbouring villages, and 900 people spent the night in tents set up on "
                "the "
                "football ground. Rescue teams from Oakport were still searching the rubble of the "
                "market hall on Sunday evening. It was the strongest quake recorded in the valley "
                "since "
                "1968, seismologists at Carrow University said.",
            ),
            (
                "Northbridge Herald",
                "Lisford counts its dead after strongest quake in decades",
                "Rescuers in Lisford pulled survivors from the ruins of the town's market hall on "
                "Sunday after an earthquake of magnitude 6.1 shook the Varenne valley. Fourteen "
                "people "
                "died, according to the emergency office, and some sixty were taken to hospital in "
                "Oakport. Helen Marsh, the governor, flew over the valley by helicopter and "
                "announced a "
                "state of emergency. Carrow University's seismology team said no tremor this "
                "strong had "
                "hit the region since 1968. About 900 residents whose homes were judged unsafe "
                "slept on "
                "camp beds at the town's football ground.",
            ),
            (
                "Meridian Post",
                "Varenne valley earthquake: 14 killed, state of emergency declared",
                "The death toll from Sunday's earthquake in the Varenne valley rose to 14, "
                "officials "
                "said, as aftershocks kept residents of Lisford out of their homes. The 6.1 "
                "magnitude "
                "quake, centred just north of the town, brought down the roof of the market hall. "
                "Governor Helen Marsh has put Lisford and nearby villages under a state of "
                "emergency, "
                "and the army sent field kitchens for the 900 people sheltering at the football "
                "ground. "
                "Sixty people were injured. Experts at Carrow University called it the valley's "
                "worst "
                "quake since 1968.",
            ),
        ],
    ),
    "quake-2026": (
        "en",
        T0,
        [
            (
                "Valley Courier",
                "Magnitude 5.4 earthquake shakes Varenne valley, three dead",
                "An earthquake of magnitude 5.4 hit the Varenne valley on Monday afternoon, "
                "killing "
                "three people in Dunmere, a village on the southern slope, the emergency office "
                "said. "
                "A farm building and the Dunmere chapel's bell tower collapsed, and 22 people were "
                "treated for injuries. Governor Paul Ansel said 150 families would be rehoused in "
                "the "
                "sports hall of Brackton while engineers inspect their houses. The tremor, a year "
                "after "
                "the deadly Lisford quake, was felt as far as Oakport. Seismologists warned that "
                "aftershocks of magnitude 4 were likely this week.",
            ),
            (
                "Northbridge Herald",
                "Dunmere mourns three after valley quake",
                "Three residents of Dunmere died on Monday when a magnitude 5.4 earthquake rocked "
                "the "
                "southern end of the Varenne valley. The bell tower of the village chapel fell "
                "onto the "
                "square, and a barn collapsed on a farm outside the village. Twenty-two people "
                "were "
                "hurt. Paul Ansel, the governor, visited Dunmere in the evening and promised that "
                "the "
                "150 families moved to the Brackton sports hall would be housed within a week. The "
                "valley has not forgotten last year's Lisford earthquake, and many residents slept "
                "in "
                "their cars.",
            ),
            (
                "Meridian Post",
                "Quake kills three in Dunmere, 150 families evacuated",
                "A 5.4 magnitude earthquake centred near Dunmere killed three people and injured "
                "22 on "
                "Monday, according to the regional emergency office. Governor Paul Ansel ordered "
                "the "
                "evacuation of 150 families, now sheltered in Brackton's sports hall, while "
                "experts "
                "check cracked houses. The chapel bell tower in Dunmere gave way during the "
                "shaking. "
                "The tremor was felt in Oakport, 40 kilometres away. Seismologists expect "
                "aftershocks "
                "in the coming days.",
            ),
        ],
    ),
    "greve-halvik": (
        "fr",
        T0 + timedelta(days=1),
        [
            (
                "Le Courrier",
                "Halvik : les dockers en grève pour une hausse de 8 %",
                "Les dockers du port de Halvik ont cessé le travail lundi à l'appel du Syndicat "
                "des "
                "travailleurs du port, qui réclame une hausse des salaires de 8 % et l'embauche de "
                "40 "
                "grutiers. Selon sa secrétaire générale, Mara Quist, la grève durera trois jours. "
                "Une "
                "vingtaine de porte-conteneurs attendaient en rade mardi matin. La direction du "
                "port, "
                "par la voix de son président Jonas Ekberg, propose 3 % et dénonce un mouvement "
                "qui "
                "coûte 2 millions par jour aux importateurs. Les négociations doivent reprendre "
                "mercredi à la préfecture de Halvik.",
            ),
            (
                "L'Écho",
                "Port de Halvik paralysé par une grève des dockers",
                "Aucun navire n'a été déchargé mardi à Halvik : les dockers ont entamé lundi une "
                "grève "
                "de trois jours. Le Syndicat des travailleurs du port demande 8 % d'augmentation "
                "et 40 "
                "postes de grutiers supplémentaires, a expliqué Mara Quist devant les grilles du "
                "terminal. Jonas Ekberg, qui préside le port, juge la revendication irréaliste et "
                "s'en "
                "tient à 3 %. Une vingtaine de porte-conteneurs sont bloqués au large, et les "
                "importateurs chiffrent leurs pertes à 2 millions par jour. Une réunion est prévue "
                "mercredi à la préfecture.",
            ),
            (
                "Agence Horizon",
                "Grève au port de Halvik : 20 navires en attente",
                "La grève des dockers de Halvik, commencée lundi, bloquait mardi une vingtaine de "
                "porte-conteneurs. Le syndicat conduit par Mara Quist exige une hausse de salaire "
                "de "
                "8 % et le recrutement de 40 grutiers ; la direction, dirigée par Jonas Ekberg, "
                "offre "
                "3 %. Le mouvement doit durer trois jours. Les importateurs évaluent le manque à "
                "gagner "
                "à 2 millions par jour. Les deux parties se retrouveront mercredi à la préfecture.",
            ),
        ],
    ),
    "greve-corbel": (
        "fr",
        T0 + timedelta(days=2),
        [
            (
                "Le Courrier",
                "Corbel : grève illimitée des cheminots pour une prime de 12 %",
                "Les cheminots de Corbel ont voté mardi une grève illimitée à l'appel de l'Union "
                "des "
                "travailleurs du rail, qui exige une prime de pénibilité de 12 % et la réouverture "
                "de "
                "l'atelier de maintenance de Sainte-Odile. Son porte-parole, Anton Pell, affirme "
                "que "
                "95 % des agents suivent le mouvement. Aucun train n'a quitté la gare centrale de "
                "Corbel mercredi, et 30 000 voyageurs ont dû trouver un autre moyen de transport. "
                "La "
                "ministre des Transports, Lise Varga, a appelé au dialogue et reçoit les syndicats "
                "jeudi.",
            ),
            (
                "L'Écho",
                "Les trains à l'arrêt à Corbel, les cheminots réclament 12 %",
                "La gare centrale de Corbel est restée silencieuse mercredi : les cheminots sont "
                "en "
                "grève illimitée depuis mardi soir. L'Union des travailleurs du rail réclame une "
                "prime "
                "de 12 % et la réouverture de l'atelier de Sainte-Odile, fermé l'an dernier. « "
                "Nous ne "
                "reprendrons pas sans garanties », a prévenu Anton Pell. Quelque 30 000 usagers "
                "sont "
                "privés de train chaque jour. Lise Varga, ministre des Transports, recevra les "
                "représentants syndicaux jeudi.",
            ),
            (
                "Agence Horizon",
                "Grève des cheminots à Corbel : 30 000 voyageurs sans train",
                "La grève illimitée lancée mardi par l'Union des travailleurs du rail a paralysé "
                "mercredi la gare centrale de Corbel, privant 30 000 voyageurs de train. Le "
                "syndicat, "
                "dont Anton Pell est le porte-parole, exige une prime de 12 % et la réouverture de "
                "l'atelier de maintenance de Sainte-Odile. La ministre Lise Varga a convoqué les "
                "syndicats jeudi.",
            ),
        ],
    ),
    "minister-health": (
        "en",
        T0 + timedelta(days=3),
        [
            (
                "Northbridge Herald",
                "Health minister Irene Sallow resigns over hospital contracts",
                "Irene Sallow resigned as health minister on Thursday, two weeks after auditors "
                "found "
                "that contracts worth 48 million for the new Westgate hospital had been awarded "
                "without "
                "a tender. In a letter to Prime Minister Owen Tarrant, she said she had not known "
                "of "
                "the irregularities but accepted responsibility. The opposition had called for her "
                "departure since the audit office published its report. Her deputy, Rahul Menon, "
                "will "
                "run the ministry until a successor is named.",
            ),
            (
                "Meridian Post",
                "Sallow quits after Westgate hospital audit",
                "Northbridge's health minister, Irene Sallow, stepped down on Thursday over the "
                "Westgate hospital affair. The audit office revealed this month that 48 million in "
                "building contracts went to two firms without any tender. Sallow told Owen "
                "Tarrant, "
                "the prime minister, that she took responsibility although she had not been "
                "informed. "
                "Rahul Menon, her deputy, takes over the ministry for now. The opposition welcomed "
                "the "
                "resignation and demanded a parliamentary inquiry.",
            ),
            (
                "Valley Courier",
                "Minister resigns as hospital contract scandal grows",
                "Irene Sallow has left the health ministry after an audit into the Westgate "
                "hospital "
                "project found 48 million of contracts signed without competition. Prime Minister "
                "Owen "
                "Tarrant accepted her resignation on Thursday and thanked her for her work during "
                "the "
                "winter flu season. Deputy minister Rahul Menon is in charge until a new minister "
                "is "
                "appointed.",
            ),
        ],
    ),
    "minister-finance": (
        "en",
        T0 + timedelta(days=4),
        [
            (
                "Northbridge Herald",
                "Finance minister Gareth Bloom resigns over tax remarks",
                "Gareth Bloom resigned as finance minister on Friday after a recording showed him "
                "telling donors that the 2027 budget would cut the top income tax rate to 35 "
                "percent, "
                "a plan the cabinet had never approved. Prime Minister Owen Tarrant said the "
                "remarks "
                "had undermined the budget talks with the unions. Bloom, who had held the post for "
                "three years, apologised in a statement. Treasury secretary Nadia Ferro will "
                "present "
                "the budget to parliament on 24 March.",
            ),
            (
                "Meridian Post",
                "Bloom out as finance minister after donor recording",
                "Finance minister Gareth Bloom stepped down on Friday, a day after a leaked "
                "recording "
                "caught him promising donors a top tax rate of 35 percent in the 2027 budget. The "
                "cabinet had agreed no such cut, and Prime Minister Owen Tarrant said Bloom's "
                "words "
                "had damaged talks with the unions. Nadia Ferro, the treasury secretary, takes "
                "charge "
                "of the budget, due before parliament on 24 March.",
            ),
            (
                "Valley Courier",
                "Second minister in a week resigns as Bloom leaves finance",
                "A week of resignations continued on Friday when Gareth Bloom quit the finance "
                "ministry over a recording in which he told party donors the top income tax rate "
                "would fall to 35 percent. Owen Tarrant, the prime minister, accepted the "
                "resignation "
                "and named treasury secretary Nadia Ferro to steer the 2027 budget, which goes to "
                "parliament on 24 March. Bloom had been in the job for three years.",
            ),
        ],
    ),
}


def articles(*, dated: bool) -> list[tuple[str, StoryDoc]]:
    """(event, article) for every report, in publication order (or shuffled when undated)."""
    out = []
    for event, (lang, first, reports) in EVENTS.items():
        for n, (outlet, title, text) in enumerate(reports):
            when = first + timedelta(hours=3 * n) if dated else None
            doc = StoryDoc(f"{event}-{n}", title, text, published_at=when, lang=lang, source=outlet)
            out.append((event, doc))
    if dated:
        out.sort(key=lambda pair: pair[1].published_at or T0)
    else:
        random.Random(3).shuffle(out)
    return out


@pytest.mark.parametrize("dated", [True, False], ids=["dated", "undated"])
def test_look_alike_events_stay_apart_and_each_event_comes_together(
    encoder: Encoder | None, dated: bool
) -> None:
    clusterer = StoryClusterer(encoder=encoder)
    pairs = articles(dated=dated)
    for _, doc in pairs:
        clusterer.add(doc)
    stories: dict[str, set[str]] = {}
    for event, doc in pairs:
        stories.setdefault(clusterer.story_of(doc.id), set()).add(event)
    mixed = [events for events in stories.values() if len(events) > 1]
    assert not mixed, f"look-alike events merged into one story: {mixed}"
    per_event = Counter(event for events in stories.values() for event in events)
    split = {event: n for event, n in per_event.items() if n > 1}
    # three reports of one event in three newsrooms' words: one story each
    assert not split, f"events split into several stories: {split}"


def test_a_thousand_reports_of_look_alike_events_never_build_a_giant_story() -> None:
    """Results, fires and resignations written from one template, each a different event
    (another town, other teams, people and figures)."""
    rng = random.Random(11)
    # a different town for each report, and 300 clubs (a regional wire's weekend of leagues,
    # each club playing once or twice in the stream): every report is another event
    towns = [f"{a}{b}{c}{d}" for a in ("Lis", "Dun", "Brack", "Oak", "Carr", "Hal", "Corb", "West")
             for b in ("", "en", "ar", "il", "or", "um", "ast", "ing")
             for c in ("ford", "mere", "ton", "port", "ow", "vik", "el", "gate")
             for d in ("", "by", "ham", "wick")]  # fmt: skip
    rng.shuffle(towns)
    clubs = ("Rovers", "United", "Athletic", "City")
    teams = [f"{town} {rng.choice(clubs)}" for town in towns[:300]]
    towns = towns[300:]
    clusterer = StoryClusterer()
    for n in range(1000):
        kind = n % 3
        town = towns[n % len(towns)]
        when = T0 + timedelta(minutes=17 * n)
        if kind == 0:
            home, away = rng.sample(teams, 2)
            score = f"{rng.randint(0, 5)}-{rng.randint(0, 5)}"
            title = f"{home} beat {away} {score} in {town}"
            crowd = rng.randint(1200, 45000)
            text = (f"{home} beat {away} {score} on Saturday in front of {crowd} "
                    f"fans at the {town} stadium. The coach said the team played well and the "
                    f"players were happy with the result, which keeps them in the league's top "
                    f"half before next week's match.")  # fmt: skip
        elif kind == 1:
            title = f"Fire destroys warehouse in {town}"
            text = (f"A fire destroyed a warehouse in {town} on {when:%A}, the fire service said. "
                    f"{rng.randint(20, 400)} firefighters fought the blaze for "
                    f"{rng.randint(11, 60)} hours. Nobody was hurt, and the cause of the fire is "
                    f"not yet known, police said, asking witnesses to come forward.")  # fmt: skip
        else:
            who = f"{rng.choice(('Anne', 'Paul', 'Irene', 'Omar', 'Lise'))} {town}son"
            title = f"Mayor of {town} {who} resigns"
            text = (f"{who}, the mayor of {town}, resigned on {when:%A} after "
                    f"{rng.randint(3, 12)} years in office, saying it was time for a new "
                    f"generation. The town council will elect a successor within "
                    f"{rng.randint(2, 6)} weeks, the council's secretary said.")  # fmt: skip
        clusterer.add(StoryDoc(f"t{n}", title, text, published_at=when, lang="en"))
    sizes = sorted((len(s.article_ids) for s in clusterer.stories()), reverse=True)
    # before story profiles and the name gate: stories of 334, 333 and 331 reports. A club's
    # matches may still chain through the club they share; no story may hold 2% of the stream
    assert sizes[0] <= 20, f"a story of {sizes[0]} look-alike reports: {sizes[:10]}"


def test_the_events_stay_apart_without_their_dates_or_languages() -> None:
    """No date and no language tag: names, figures and places still tell the events apart."""
    clusterer = StoryClusterer()
    pairs = [(e, replace(d, lang=None)) for e, d in articles(dated=False)]
    for _, doc in pairs:
        clusterer.add(doc)
    events_of: dict[str, set[str]] = {}
    for event, doc in pairs:
        events_of.setdefault(clusterer.story_of(doc.id), set()).add(event)
    assert all(len(events) == 1 for events in events_of.values()), events_of


@pytest.mark.parametrize("dated", [True, False], ids=["dated", "undated"])
def test_a_title_and_a_line_that_came_first_joins_its_event_once_the_reports_arrive(
    encoder: Encoder | None, dated: bool
) -> None:
    """A feed item (a title and a line, its page unfetched) about the Halvik strike comes before
    any full report: alone at first, it joins the Halvik story once the reports arrive, and
    never the Corbel strike's of the same week."""
    when = EVENTS["greve-halvik"][1] - timedelta(hours=1) if dated else None
    teaser = StoryDoc(
        "teaser",
        "Grève des dockers à Halvik : le port à l'arrêt",
        "Les dockers de Halvik ont cessé le travail ce matin à l'appel de leur syndicat.",
        published_at=when,
        lang="fr",
        source="Radio Littoral",
    )
    clusterer = StoryClusterer(encoder=encoder)
    clusterer.add(teaser)
    pairs = [(e, d) for e, d in articles(dated=dated) if e.startswith("greve")]
    for _, doc in pairs:
        clusterer.add(doc)
    halvik = {clusterer.story_of(d.id) for e, d in pairs if e == "greve-halvik"}
    corbel = {clusterer.story_of(d.id) for e, d in pairs if e == "greve-corbel"}
    assert len(halvik) == 1 and halvik.isdisjoint(corbel), (halvik, corbel)
    assert clusterer.story_of("teaser") in halvik


def test_an_undated_report_finds_its_event_long_after_the_dated_reports_left_the_window() -> None:
    """Two reports of the 2025 quake come with their dates, then weeks of other news (one page
    of it undated, as some are) move the clock far past the window; the third report, undated,
    still joins them (an undated article has no time to be compared within: it is compared with
    what the window let go too), while undated reports of another event stay apart from them."""
    _, first, reports = EVENTS["quake-2025"]
    clusterer = StoryClusterer()
    dated = [
        StoryDoc(f"quake-{n}", title, text, published_at=first + timedelta(hours=n), lang="en")
        for n, (_, title, text) in enumerate(reports[:2])
    ]
    clusterer.add_many(dated)
    rng = random.Random(5)
    words = ["harbour", "council", "budget", "festival", "bridge", "library", "orchard", "rail"]
    others = []
    for n in range(600):  # 40 days of another region's news, enough sweeps of the window
        place = "".join(rng.choice("bcdfglmnprstv") + rng.choice("aeiou") for _ in range(4))
        topic = " ".join(rng.sample(words, 3))
        others.append(
            StoryDoc(
                f"other-{n}",
                f"{place.title()} {topic}",
                f"In {place.title()} the {topic} was discussed on {n % 7 + 1} March by "
                f"{rng.randint(10, 900)} residents, the {place} gazette wrote.",
                published_at=first + timedelta(days=2, hours=1.6 * n) if n != 3 else None,
                lang="en",
            )
        )
    clusterer.add_many(others)
    assert "quake-0" not in clusterer._window.index, "the dated reports should have left the window"
    _, title, text = reports[2]
    clusterer.add(StoryDoc("quake-undated", title, text, lang="en"))
    _, _, resignation = EVENTS["minister-finance"]
    clusterer.add_many(
        [StoryDoc(f"minister-{n}", t, x, lang="en") for n, (_, t, x) in enumerate(resignation)]
    )
    assert clusterer.story_of("quake-undated") == clusterer.story_of("quake-0")
    assert clusterer.story_of("minister-0") != clusterer.story_of("quake-0")


def test_the_shelf_of_past_articles_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dated articles kept for undated ones are the newest SHELF_KEPT, however long the
    stream: a long-running `actuel run` does not grow with its archive."""
    import actuel.stories.window as window

    monkeypatch.setattr(window, "SHELF_KEPT", 40)
    clusterer = StoryClusterer()
    clusterer.add(
        StoryDoc("undated", "A page without a date", "Nothing dated here at all.", lang="en")
    )
    rng = random.Random(9)
    for n in range(700):
        place = "".join(rng.choice("bcdfglmnprstv") + rng.choice("aeiou") for _ in range(4))
        clusterer.add(
            StoryDoc(
                f"d{n}",
                f"{place.title()} council meets",
                f"The {place.title()} council met on {n % 7 + 1} May with {rng.randint(9, 99)} "
                f"members about the {place} harbour and its {rng.randint(100, 999)} boats.",
                published_at=T0 + timedelta(hours=2 * n),
                lang="en",
            )
        )
    kept = clusterer._window
    assert 0 < len(kept.shelved) <= 40
    assert len(kept.shelf) == len(kept.shelved)
    # a story with no member in the window or on the shelf keeps no profile either
    assert set(clusterer._profiles) <= set(kept.live) | set(kept.on_shelf)
