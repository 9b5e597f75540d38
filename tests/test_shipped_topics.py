"""The shipped config.yaml topics (keywords, excludes, related terms) with the default model,
on the hand-written trap sets in tests/classifiers/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import load_config
from classifiers.base import Document
from classifiers.corpus import read_labels
from classifiers.evaluation import decisions, scores, truth
from classifiers.hybrid import HybridClassifier
from classifiers.keywords import KeywordClassifier
from classifiers.text import NO_REASON_WORDS
from tests.classifiers.real_sample import labelled_items, read_records

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "classifiers" / "data"


# traps_families.jsonl grows with every blind batch, its known misses (kind "open") included:
# 0.933 at 475 items, 0.903 at 1,091 (BENCHMARKS.md, round 8), 0.897 at 15,905 (round 22),
# 0.894 at 22,305 (round 23), 0.900 at 31,905 (round 24), 0.907 at 41,505 (round 25), 0.909
# at 47,905 (round 26), 0.910 at 52,705 and 0.908 at 55,873 (round 27), 0.911 at 59,059
# (round 28), 0.913 at 61,445 (round 29), 0.914 at 63,815 (round 30), 0.914 at 66,188 and
# 0.913 at 67,780 (round 31), 0.912 at 71,688 (round 32), 0.912 at 74,035 (round 33), 0.911
# at 77,202 (round 34).
# The floor guards against a regression of several items, not one.
@pytest.mark.parametrize(("name", "floor"), [("traps.jsonl", 1.0), ("traps_families.jsonl", 0.89)])
def test_shipped_topics_on_the_trap_sets(
    shipped: HybridClassifier, name: str, floor: float
) -> None:
    items = read_labels(DATA / name, shipped.topics)
    kinds = [json.loads(line).get("kind") for line in (DATA / name).read_text().splitlines()]
    y, p = truth(items, shipped.topics), decisions(shipped, items)
    assert scores(y, p, shipped.topics)["macro_f1"] >= floor
    # A look-alike or passing mention that carries a keyword (Toyota Corona, Pakistan's
    # Taliban, "før pandemien") never alerts: the excludes and time markers hold. Items of
    # kind "open" are known misses of no rule yet (BENCHMARKS.md lists them): they count in
    # the floor above, not here.
    named = decisions(KeywordClassifier(shipped.rules), items)
    for it, kind, false_alarm, kw in zip(items, kinds, p & ~y, named, strict=True):
        if kind in ("lookalike", "passing") and kw.any():
            assert not false_alarm.any(), it.doc.title


#: Foreign and domestic news that shares the topics' vocabulary without being about them:
#: evacuations, insurgents, regimes and UN reports elsewhere (Afghanistan's words: capital,
#: forces, women, flee), other alliances and a party named one (NATO's), doping and drug
#: tests and quizzes (COVID-19's "testet positiv", "karantæne"). Written for this
#: test, not taken from the seed examples or the corpora.
SHARED_VOCABULARY = [
    (
        "Tyskland flyver sine statsborgere ud af Niger efter kuppet",
        "Bundeswehr henter tyskere og andre europæere fra hovedstaden Niamey, hvor militæret "
        "har taget magten og lukket luftrummet.",
    ),
    (
        "Oprørere erobrer by i det østlige Congo",
        "FN's fredsbevarende styrke trækker sig, og tusindvis af kvinder og børn flygter mod "
        "grænsen til Rwanda.",
    ),
    (
        "Kvindelige aktivister anholdt i Teheran",
        "Sikkerhedsstyrkerne slog demonstrationen ned, og styret beskylder udlandet for at stå "
        "bag urolighederne.",
    ),
    (
        "FN: Millioner af børn i Sudan mangler skolegang",
        "Krigen har lukket skolerne i hovedstaden, og piger risikerer at blive giftet bort, "
        "advarer organisationen.",
    ),
    (
        "Liberal Alliance vil afskaffe topskatten",
        "Partiets leder præsenterer et udspil, som medlemmerne vedtog på landsmødet i weekenden.",
    ),
    (
        "Kina og Rusland holder fælles flådeøvelse",
        "Krigsskibe fra de to allierede lande sejler sammen i Det Østkinesiske Hav, oplyser "
        "forsvarsministeriet i Beijing.",
    ),
    # Tests of other kinds (COVID-19's words: testet positiv, karantæne, test)
    (
        "Cykelrytter testet positiv for doping",
        "Han risikerer nu en karantæne på fire år, og holdet har suspenderet ham, indtil "
        "B-prøven er analyseret.",
    ),
    (
        "Hunden Bella testet positiv for hårde stoffer",
        "Politiet undersøger, hvordan hunden kom i kontakt med kokainen i parken.",
    ),
    (
        "Bokser får karantæne efter positiv test",
        "Prøven viste spor af et forbudt stof, og han mister sin titel.",
    ),
    (
        "Quiz: Test din viden om ugens nyheder",
        "Har du fulgt med? Her er tolv spørgsmål om det, der skete i ugen, der gik.",
    ),
]


def test_shared_vocabulary_does_not_alert_with_the_default_model(
    shipped: HybridClassifier,
) -> None:
    """With too few examples of other news, the default model took the vocabulary of war and
    regimes for Afghanistan: 61 model-only Afghanistan alerts on 11,361 real DR and TV 2 leads
    (Sudan evacuations, Iran protests, Somalia), 15 for NATO (Liberal Alliance, Russia's
    exercises with Belarus); 13 and 2 with the world-news examples and NATO's `others`. A
    doping story ("testet positiv", "karantæne") alerted COVID-19 until its `others` named
    doping, drug tests and quizzes (2 of 31 keyword-free alerts on 37,548 real headlines)."""
    docs = [Document(title, text) for title, text in SHARED_VOCABULARY]
    alerts = [
        (doc.title, s.topic, s.reasons)
        for doc, row in zip(docs, shipped.classify_many(docs), strict=True)
        for s in row
        if s.matched
    ]
    assert alerts == []


def test_reasons_are_never_words_of_any_subject(shipped: HybridClassifier) -> None:
    """The default model leans on "strenge", "anbefaler", "eksploderer" beside a single covid
    mention; as context they help, but the reason a reader is shown must bear the topic."""
    doc = Document(
        "Smitten eksploderer: Hvorfor stiger tallene nu?",
        "Eksperterne forklarer, hvordan covid-19 spreder sig, og hvorfor myndighederne "
        "anbefaler strenge tiltag i december.",
    )
    [row] = shipped.classify_many([doc])
    [covid] = [s for s in row if s.topic == "COVID-19"]
    assert covid.matched
    assert "covid*" in covid.reasons and "smitten" in covid.reasons
    assert not set(covid.reasons) & NO_REASON_WORDS, covid.reasons


@pytest.mark.parametrize(
    ("title", "text", "topics"),
    [
        # the hyphenated simile is excluded like "coronalignende"
        (
            "Ambassadør vil have en corona-lignende indsats mod hash",
            "Kampen mod stofferne kræver samme beslutsomhed som en global krise, siger han.",
            set(),
        ),
        # patients are in every health story: no reason for a keyword-free alert
        ("Lægemangel stikker af: Rammer patienterne", "", set()),
        # the allied base in Helmand is Afghanistan's
        ("Sygeplejerske fra Camp Bastion hædres for sin indsats", "", {"Afghanistan"}),
        # a member's call for consultations names the alliance's article, not the alliance
        # (the seed examples of stories that never name their topic teach it)
        ("Litauen aktiverer artikel 4 efter droneangreb", "", {"NATO"}),
        # the city where the pandemic began and Sweden's state epidemiologist name it; the
        # city's tennis tournament does not
        ("WHO-hold får endelig adgang til markedet i Wuhan", "", {"COVID-19"}),
        ("Tegnell: Vi burde have lukket plejehjemmene tidligere", "", {"COVID-19"}),
        ("Wuhan Open: Danske Clara Tauson videre til kvartfinalen", "", set()),
        # the topics' own measures, variants and other names, once in a body (`named_once`)
        (
            "Dåb på Zoom og påskesalmer fra balkonen",
            "Forsamlingsforbuddet gør det umuligt at samle menigheden i kirken.",
            {"COVID-19"},
        ),
        (
            "Sosu-elever står uden praktikplads",
            "Plejehjemmene lukker for elever, mens omikron spreder sig i kommunen.",
            {"COVID-19"},
        ),
        (
            "Jobcentre sender ledige ud som hjælpere",
            "De skal registrere borgerne i kommunens testtelte på torvet.",
            {"COVID-19"},
        ),
        (
            "Flere penge til Hjemmeværnet",
            "Forligspartierne vil leve op til forsvarsalliancens krav til beredskabet.",
            {"NATO"},
        ),
        # another vaccine in the headline, the covid booster given beside it in the body
        (
            "Pneumokokvaccine tilbydes nu alle over 65",
            "Stikket kan gives samtidig med influenzavaccinen og covid-boosteren.",
            set(),
        ),
        # the mink case's deleted texts name nothing else
        (
            "Venstre kræver svar om de slettede mink-sms'er",
            "Partiet vil have forsvarsministeren i samråd om beskederne.",
            {"COVID-19"},
        ),
    ],
)
def test_shipped_terms_of_round_9(
    shipped: HybridClassifier, title: str, text: str, topics: set[str]
) -> None:
    [row] = shipped.classify_many([Document(title, text)])
    assert {s.topic for s in row if s.matched} == topics


def test_shipped_other_subjects_and_related_terms() -> None:
    kc = KeywordClassifier(load_config(ROOT / "config.yaml").topic_rules())
    nato, covid = kc.topics.index("NATO"), kc.topics.index("COVID-19")
    # an alliance between two named parties, and the airlines' alliances, are other subjects
    assert kc.names_other_subject(nato, "alliancen mellem iran og rusland bliver tættere", "")
    assert kc.names_other_subject(nato, "norwegian melder sig ind i star alliance", "")
    assert not kc.names_other_subject(nato, "alliancen samles til topmøde i haag", "")
    # the pandemic's test centres, its law before it had a definite name, the visiting bans
    for text in (
        "køer ved testcentrene",
        "ny epidemilov vedtaget",
        "besøgsforbuddet ophæves",
        "smitteudbrud på fiskefabrik",  # rounds 211-218
        "alle skal have en pcr test",
    ):
        assert kc.related_hits(covid, text, ""), text
    # the infection, its risk and the doses (round 27); another disease named beside it is
    # another subject, which no related term alerts on alone
    for text in ("smitten stiger igen", "smitterisikoen ved fællessang", "flere vaccinedoser"):
        assert kc.related_hits(covid, text, ""), text
    assert kc.names_other_subject(covid, "smitten med gonorré stiger", "")
    # mink farming's restart when the ban ran out is farming news; the culling stays covid's
    for text in ("minkavlen er tilbage i danmark", "i dag ankom de første mink til gården"):
        assert kc.names_other_subject(covid, text, ""), text
    assert not kc.names_other_subject(covid, "minkavlere får hurtigere erstatning", "")
    # the culling told by "slå ned" is a related term, not a keyword: its words begin with
    # "alle" and "slå", which would send most articles through the keyword scan
    for text in ("beslutningen om at slå alle mink ned", "da alle mink blev slået ned i 2020"):
        terms = {h.term for h in kc.related_hits(covid, text, "")}
        assert any(" ned" in t for t in terms), (text, terms)  # the phrase, not `mink*` alone
        assert not kc.hits_normalized(text, "")[covid].hits, text
    # the lockdown told with "landet" or "samfundet" in the present, the state, the infinitive
    for text in (
        "selv om landet er lukket ned",
        "regeringen lukkede store dele af landet ned",
        "skal vi lukke samfundet ned igen?",
        "mens samfundet er lukket ned",
        # and its virus before it had a name in everyday use
        "patienter med den nye virus",
        # its aid to firms, and the infected person's close contacts
        "svindel med kompensation for faste omkostninger",
        "smittesporerne ringer til alle nære kontakter",
    ):
        assert kc.related_hits(covid, text, ""), text
    # the alliance's operations by name (rounds 211-218)
    for text in ("ocean shield: marinesoldater bordede piratskib", "natos resolute support"):
        assert kc.related_hits(nato, text, ""), text
    # the summits of 2008-16 by their city, the Nordic bids, a secretary general's decade
    # (round 27); "svensk optagelse" is also a Swedish recording, and stays out
    for text in (
        "løftet fra wales",
        "aftalt på topmødet i warszawa",
        "sveriges ansøgning venter",
        "ti år i spidsen for alliancen",
        "optagelsen i alliancen",
    ):
        assert kc.related_hits(nato, text, ""), text
    assert not kc.related_hits(nato, "en svensk optagelse af symfonien", "")
    # a country's membership of "the alliance" is NATO's accession (round 23)
    for text in ("landet er nu medlem af alliancen", "sverige er et skridt nærmere alliancen"):
        assert kc.related_hits(nato, text, ""), text


def test_shipped_topics_on_the_blind_labelled_corpus_sample(
    shipped: HybridClassifier, shared_dir: Path
) -> None:
    """1,047 corpus items (none from dev) labelled from the rubric alone by two annotators who
    agreed on them, in four samples drawn by stratum: alerts, the models' disagreements,
    keyword evidence without an alert, near misses, decisions a round changed, every body
    that names a topic and was still unlabelled, and the rest (BENCHMARKS.md, rounds 9-11).
    Only ids and labels are in the project; the text is read from ../shared. With the
    default model: 0.958 (the first 929 items 0.948, 0.936 before round 10's rules; the first
    799 items 0.932 before round 9). The floor guards against a regression of several items."""
    items = labelled_items(read_records(), shared_dir / "data" / "corpus")
    y, p = truth(items, shipped.topics), decisions(shipped, items)
    res = scores(y, p, shipped.topics)
    assert res["macro_f1"] >= 0.93, res
