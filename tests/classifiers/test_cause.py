"""The pandemic in the lead as the cause of the stop a headline reports (`classifiers.cause`)."""

from __future__ import annotations

import pytest

from classifiers.base import Document, TopicRule
from classifiers.cause import LEAD
from classifiers.evidence import prepare
from classifiers.keywords import KeywordClassifier

RULES = (
    TopicRule("NATO", ("nato",)),
    TopicRule("COVID-19", ("covid*", "corona*", "pandemien")),
)


def covid(title: str, text: str) -> tuple[bool, bool]:
    """(strong, cause of the headline) of COVID-19's evidence."""
    e = prepare(KeywordClassifier(RULES), Document(title, text))[1][1]
    return e.strong, e.cause_of_headline


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Dronningen aflyser fejringen af sin 80-års fødselsdag",
            "Der bliver ingen kortege, når dronningen fylder 80 år den 16. april. Kongehuset "
            "aflyser samtlige arrangementer på grund af coronavirusset.",
        ),
        (
            "Flagdagens parade aflyst",
            "Forsvaret aflyser på grund af forsamlingsforbuddet og covid-19-restriktionerne.",
        ),
        (
            "Astralis vinder turnering fra stuen – LAN-finalen aflyst",
            "Arrangørerne måtte aflyse finalerne i Los Angeles på grund af pandemien.",
        ),
        ("Koncerten i Boxen udskydes", "Koncerten er udsat til efteråret pga. corona."),
        # the cause first, and a cut as the stop
        (
            "Stor øvelse skæres ned: Soldaterne sejles ikke ind over Esbjerg",
            "På grund af coronavirus aflyser USA størstedelen af troppeforflytningen.",
        ),
    ],
)
def test_the_disease_as_the_cause_of_the_headlines_stop_is_strong(title: str, text: str) -> None:
    assert covid(title, text) == (True, True)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # the history of another story: the cause is in a clause of its own
        (
            "Retssag mod tidligere borgmester udskudt for fjerde gang",
            "Sagen har været udsat flere gange, første gang under nedlukningen på grund af "
            "covid-19 i 2020.",
        ),
        # the headline reports no stop: the cancellations are the event's past
        (
            "Kongeparret tog imod 1.200 gæster ved nytårskuren",
            "Kuren var aflyst to år i træk på grund af corona.",
        ),
        # the cause first, but of something the clause does not stop
        ("Festivalen aflyst", "På grund af corona var der ingen gæster sidste år."),
        # a stop with another cause, the disease named apart
        (
            "Festivalen aflyst",
            "Festivalen er aflyst på grund af dårlige billetsalg. Sidste år var corona skyld.",
        ),
    ],
)
def test_a_cause_the_headline_does_not_report_stays_single(title: str, text: str) -> None:
    assert covid(title, text) == (False, False)


def test_only_the_disease_and_the_lead_count() -> None:
    kc = KeywordClassifier(RULES)
    # a summit is no news of the alliance for being a cause
    title, text = "Cykelløb i Vilnius aflyst", "Løbet er aflyst på grund af Nato-topmødet."
    assert not prepare(kc, Document(title, text))[1][0].strong
    # the cause far into the body, past the lead, is no longer the headline's
    cause = "Løbet er aflyst på grund af corona."
    assert covid("Løbet aflyst", cause) == (True, True)
    assert covid("Løbet aflyst", "Der var mange tilmeldte. " * (LEAD // 20) + cause) == (
        False,
        False,
    )


def test_the_illness_that_befell_the_leads_people_is_strong() -> None:
    text = "Fire spillere er testet positive for corona, og hele truppen skal isoleres."
    assert covid("Hele AaB-truppen i karantæne", text) == (True, True)
    text = "Hun blev smittet med covid-19 på arbejdet, og nu kan hun ikke løfte en borger."
    assert covid("Sosu-assistent med senfølger", text) == (True, True)
    # a person described by it (the headline's own too), a time told by it, one reason among
    # others, a past infection
    for title, text in (
        (
            "Boris Johnson flyttet til intensivafdeling",
            "Premierministeren, der blev indlagt med covid-19 i søndags, er nu på intensiv.",
        ),
        ("Fyrsten fylder 65", "Fyrsten, der i 2020 blev smittet med coronavirus, fejrer dagen."),
        ("Biden trækker sig", "Presset tog til, da han blev smittet med covid og isolerede sig."),
        (
            "Retssagen udskudt igen",
            "Det skyldes blandt andet, at en af dommerne har været syg med covid.",
        ),
        ("Dronningen om tronen", "Hun har tidligere to gange været smittet med covid-19."),
    ):
        assert covid(title, text) == (False, False), title
