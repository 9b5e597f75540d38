"""The pandemic named in the lead as the cause of what the headline reports.

A headline that reports a cancellation, a postponement or a closure ("Dronningen aflyser
fejringen af sin 80-års fødselsdag", "LAN-finalen aflyst") over a lead that gives the disease
as its reason ("Kongehuset aflyser samtlige arrangementer på grund af coronavirusset") reports
a measure against the pandemic: the rubric's restrictions, the topic's own news. Its one body
mention is as strong as a headline's (`classifiers.evidence.Evidence.strong`), though the
context model, which has not seen the headline's event in this role, may read it as royal or
sport news.

Only the disease and its period qualify: a cancellation because of a summit ("Cykelløb i
Vilnius aflyst på grund af Nato-topmøde") is no news of the alliance. Only a cause tied to the
verb in one clause near the lead's start (its first `LEAD` characters): "har været udsat flere
gange, første gang under nedlukningen på grund af covid-19" tells the history of another story,
and so does a cause told for an event the headline does not report ("Kongeparret tog imod 1.200
gæster ved nytårskuren", after two years of cancellations): the headline must report the stop
itself.

The other way round, the pandemic named as what delayed another subject ("Den nye
psykiatriplan er forsinket af corona") is a passing cause in that subject's story
(`delayed_by`), unless the headline reports the stop.
"""

from __future__ import annotations

import re

from classifiers.passing import PERIOD
from classifiers.terms import Hit

__all__ = ["LEAD", "cause_of_headline", "delayed_by", "reports_stop"]

# The verbs of a stop: cancel, postpone, close, suspend, interrupt, cut back (any form).
_STOP = (
    r"(?<![^\W_])(?:aflys\w*|udskyd\w*|udskud\w*|udsæt\w*|udsat\w*|lukke[rst]?|lukkes|lukket"
    r"|indstille[rst]?|indstillet|afbryd\w*|afbrudt"
    r"|(?:skære|skærer|skæres|skåret)\s+(?:\w+\s+)?ned)(?![^\W_])"
)
_STOP_IN_HEADLINE = re.compile(_STOP)
# "because of" and an article
_BECAUSE = r"(?:på\s+grund\s+af|pga\.?|som\s+følge\s+af|grundet)\s+(?:(?:den|det|de)\s+)?"
# The verb, its object or adverbs (no comma: a new clause tells something else), the cause.
_CAUSED_BY = re.compile(
    _STOP + r"[^,.;:!?]{0,60}?\s" + _BECAUSE + r"(?:[^\W\d_][\w-]*\s+(?:og|samt)\s+)?$"
)
# or the cause first ("På grund af coronavirus aflyser USA størstedelen af …")
_CAUSE_BEFORE = re.compile(r"(?<![^\W_])" + _BECAUSE + "$")
_STOP_AFTER = re.compile(r"[\w-]*[^,.;:!?]{0,40}?" + _STOP)
# The disease or its period as the cause ("coronavirusset", "covid-19-restriktionerne",
# "pandemien", "coronakrisen"), not a word merely containing it.
_DISEASE = re.compile(r"(?:corona|covid|pandemi|epidemi)")
#: Characters of the body read as the lead: two sentences of a news lead (the shared corpora's
#: leads have a median of ~540 characters, their sentences ~150-200).
LEAD = 400


def reports_stop(title: str) -> bool:
    """Whether the (normalised) headline reports a cancellation, a postponement or a closure."""
    return _STOP_IN_HEADLINE.search(title) is not None


def cause_of_headline(h: Hit, title: str, text: str) -> bool:
    """Whether body hit `h`, in the lead, names the disease as the cause of a stop the
    headline reports, the measures a protest it reports is against, what a measure the lead
    tells is taken to curb, or what befell the people the lead tells of."""
    if h.field != "text" or h.start > LEAD or not _DISEASE.match(h.surface):
        return False
    return (
        _caused_stop(h, title, text)
        or _protest_against(h, title, text)
        or _CURBED.search(text, max(0, h.start - 60), h.start) is not None
        or _infected(h, text)
    )


# The illness named in the lead as what befell the people the headline reports on ("Hele
# AaB-truppen i karantæne" over "… efter at fire spillere er testet positive for corona",
# "Sosu-assistent med senfølger" over "Hun blev smittet med covid-19 på arbejdet …"):
# infected, tested positive, ill, admitted or dead with the disease is the topic's own news,
# and the lead tells it of the headline's subject. In the trap file 64 of the 65 leads this
# reads under a headline that does not name the disease are labelled COVID-19 (the other
# names the isolation of soldiers coming home from Afghanistan); the shared corpora's 75,375
# decisions do not change.
_INFECTED = re.compile(
    r"(?<![^\W_])(?:smittet\s+med|testet\s+positiv[e]?\s+for|syg\s+(?:af|med)|indlagt\s+med"
    r"|døde\s+(?:af|med)|død\s+af|dør\s+af)\s+(?:den\s+|det\s+)?$"
)
# not in a clause that describes a person or tells a time ("Premierministeren, der blev indlagt
# med covid-19, …", "Fyrsten, der i 2020 blev smittet …", "… tog til, da han blev smittet")
_INFECTED_CLAUSE = re.compile(r"(?:^|[,.;:!?])\s*(?:der|som|da|dengang|hvor)\s[^,.;:!?]*$")
# nor one reason among others, nor a past infection told as background ("skyldes det blandt
# andet, at en af dommerne har været syg med covid", "Hun har tidligere to gange været smittet")
_ASIDE = re.compile(r"(?<![^\W_])(?:blandt\s+andet|bl\.\s?a\.|tidligere)(?![^\W_])[^.;:!?]*$")


def _infected(h: Hit, text: str) -> bool:
    m = _INFECTED.search(text, max(0, h.start - 40), h.start)
    if m is None:
        return False
    return (
        _INFECTED_CLAUSE.search(text, max(0, m.start() - 120), m.start()) is None
        and _ASIDE.search(text, max(0, m.start() - 80), m.start()) is None
    )


# The same for the purpose of a measure the lead tells ("Regeringen lukker de danske grænser
# … for at bremse udbredelsen af coronavirus", "… skal bære mundbind for at begrænse smitten
# med covid-19"): a measure against the pandemic, the rubric's restrictions. In the trap file
# 73 of the 75 items with such a purpose are labelled COVID-19; one of the two others names
# a cattle coronavirus, which its exclude term vetoes.
_CURBED = re.compile(
    r"(?<![^\W_])for\s+at\s+(?:bremse|begrænse|inddæmme|stoppe|forhindre|hindre|mindske"
    r"|undgå|dæmme\s+op\s+for)\s+(?:[^\W\d_][\w-]*\s+){0,3}$"
)


def _caused_stop(h: Hit, title: str, text: str) -> bool:
    if not reports_stop(title):
        return False
    return _CAUSED_BY.search(text, max(0, h.start - 120), h.start) is not None or (
        _CAUSE_BEFORE.search(text, max(0, h.start - 20), h.start) is not None
        and _STOP_AFTER.match(text, h.end) is not None
    )


# The same for a protest the headline reports, which the lead says is against the pandemic's
# measures ("Men in Black-demonstration endte i uro: Politiet anholdt ni" over "… i protest mod
# regeringens coronarestriktioner", "Sjælden vrede i Kina: Demonstranter går på gaden" over
# "… i protest mod de hårde covid-restriktioner"): the rubric counts protests against the
# measures as the topic's news. In the trap file 12 of the 13 leads with such a protest are
# labelled COVID-19; the 13th names the pandemic as a time ("siden protesterne mod
# nedlukningerne under coronapandemien"), which is no strong hit.
_PROTEST_IN_HEADLINE = re.compile(
    r"(?<![^\W_])(?:demonstr\w*|protest\w*|optøjer\w*|uro|urolighed\w*|vrede|anholdt|anholdelse\w*)"
    r"(?![^\W_])",
    re.IGNORECASE,
)
_PROTEST_AGAINST = re.compile(
    r"(?<![^\W_])(?:protest\w*|demonstr\w*|vrede|raseri|oprør)\s+mod\s+(?:[^\W\d_][\w-]*\s+){0,2}$"
)


def _protest_against(h: Hit, title: str, text: str) -> bool:
    return (
        _PROTEST_IN_HEADLINE.search(title) is not None
        and _PROTEST_AGAINST.search(text, max(0, h.start - 60), h.start) is not None
    )


# The pandemic as what delayed or put off something else, told in a body ("Den nye psykiatri-
# plan er forsinket af corona", "Åbningen var udskudt to gange på grund af corona"): a cause
# of the delay in another subject's story. In the trap file and blind rounds 133 such bodies
# are labelled no topic and 5 COVID-19, events the pandemic put off whose headline reports the
# postponement: there the cause is the headline's (`cause_of_headline`), so the caller leaves
# those. "udskudt under corona" (operations put off during the pandemic) is its effect and
# stays. In a headline only "forsinket af corona" (10 of 11 no topic): "OL udskudt på grund
# af corona" is the pandemic's own news, as the rubric counts cancellations.
_DELAYED = r"forsinket|forsinkede|forsinkes"
_PUT_OFF = r"udskudt|udskudte|udskydes|udsat|udsatte|udsættes"
_BY = (
    r"\s+(?:[^\W\d_]+\s+){0,3}?(?:af|på\s+grund\s+af|pga\.?|grundet)"
    r"\s+(?:både\s+|først\s+|blandt\s+andet\s+)?(?:den\s+|det\s+)?$"
)
_DELAYED_BY = re.compile(rf"(?<![^\W_])(?:{_DELAYED}|{_PUT_OFF}){_BY}")
_DELAYED_BY_IN_HEADLINE = re.compile(rf"(?<![^\W_])(?:{_DELAYED}){_BY}")


def delayed_by(h: Hit, field_text: str) -> bool:
    """Whether hit `h` names the pandemic as what delayed or put off another subject."""
    if PERIOD.match(h.word) is None:  # the disease's own words are periods too
        return False
    pattern = _DELAYED_BY_IN_HEADLINE if h.field == "title" else _DELAYED_BY
    return pattern.search(field_text, max(0, h.start - 70), h.start) is not None
