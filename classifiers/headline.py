"""Headline readings: when a topic in the headline is not the headline's subject.

A headline names its subject, so a keyword there is strong evidence, unless the headline
itself marks it as one of many things (a list, read by `classifiers.lists`; the end of a
range), as the past of a person portrayed ("Han var udsendt til Afghanistan – nu …"), or as
the service, role or nationality of the one person the story is about ("Tidligere
coronaminister bliver …", "Afghansk mand idømt …": `classifiers.persons`); then it is a
single mention and the context model decides (`classifiers.evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from classifiers.asides import in_short_quote, travelled_to_meeting
from classifiers.base import Document
from classifiers.cause import reports_stop
from classifiers.digests import in_digest, later_in_overview
from classifiers.figures import AS_MUCH_AS
from classifiers.lists import is_listed, names_circumstance
from classifiers.passing import PERIOD, end_of_range
from classifiers.persons import describes_one_person
from classifiers.places import COUNTRIES
from classifiers.terms import Hit
from classifiers.then_now import NOW, in_past_part

__all__ = [
    "during_in_headline",
    "is_timeline",
    "single_in_headline",
    "yardstick_in_headline",
]


# A span "Fra A til B" opening a headline or its clause names the ends of a range of many
# things: a life ("Dronningen fylder 85: Fra tronskiftet til coronatalen og abdikationen"), a
# term ("Bidens fire år: Fra Afghanistan til Gaza"), a programme ("Folkemødet: Fra Nato til
# trivsel i folkeskolen"), a list ("fraråder alle rejser - fra Afghanistan til Yemen"): the
# rubric's list of many things, so a hit that is one end is a single mention. A route is told
# by its verb or vehicle first ("Fly fra Kabul til Istanbul genoptaget") and stays; in the
# shared corpora no headline has a topic at either end of such a span (one has "Fra i morgen
# … til boostervaccination mod covid-19": the hit is at neither end and stays).
# "Alt fra …" / "lige fra …" opens the same range ("Ny podcast: Alt fra Nato til natmad"), and
# so do wars covered from one place to another anywhere in the headline ("Fotografen, der har
# dækket krige fra Kabul til Gaza, lægger kameraet", "Dækkede konflikter fra Vietnam til
# Afghanistan"): a career's span, each end one of many.
# "Alt fra" says it anywhere in the headline ("Julerevyen gør grin med alt fra Trump til Nato
# og Ozempic"): "alt" is the many things.
_RANGE_FROM = re.compile(
    r"(?:(?:^|[:;]\s*|\s-\s+|(?<![^\W_])(?:krige|konflikter|brændpunkter)\s+)"
    r"(?:alt\s+|lige\s+|alt\s+lige\s+)?|(?<![^\W_])alt\s+(?:lige\s+)?)fra\s+"
)
_RANGE_TO = re.compile(r"[^:;!?]{0,50}?\s+til\s+")


# An end of a range may hold two or three things ("Åbningstalen: Fra corona og Kabul til klima
# og ældrepleje"): the hit after one or two of them is at that end too.
# So may the way between them ("Fra finanskrise over corona til krig: Her er C25's ti vildeste
# handelsdage"): a station of the range.
_RANGE_MATES = re.compile(r"(?:[^\W\d_][\w-]*(?:,\s+|\s+og\s+|\s+over\s+)){1,2}")


def _range_end(h: Hit, title: str) -> bool:
    return end_of_range(h, title, _RANGE_FROM, _RANGE_TO, _RANGE_MATES)


# In a headline, what happened during the pandemic or the war ("Færre tidlige fødsler under
# corona", "Skønhedsklinik får bøder for at holde åbent under corona", "Børns hjerner blev
# hurtigere ældre under coronakrisen") is the story: its effects, a substantial part of the
# topic. "siden", "efter" and "før" in a headline measure from or against the period ("Første
# dyk i forbruget siden corona", "Lus gør comeback efter coronaårene") and stay time markers;
# so does "under" in a comparison ("værre end under coronakrisen") and in the past part of a
# "then: now" headline ("Tjente stort under coronakrisen: Nu er koncernen ramt af
# tilbagegang", "Startede firmaet under nedlukningen – i dag har det 40 ansatte"). In the
# body "under pandemien" is as often an aside as not (dev counts).
_COMPARED_DURING = re.compile(
    r"(?<![^\W_])(?:end|som|than|as|heller\s+ikke|ikke\s+engang|not\s+even)\s+$"
    # "ligesom" is "som" in one word ("Julegaverne kan blive forsinket – ligesom under corona")
    r"|(?<![^\W_])(?:ligesom|like)\s+$"
    # and an addition after a dash, as "heller ikke" is a denial ("Ambassadechauffør har kørt
    # for ni ambassadører – også under corona"; both such trap and blind headlines no topic)
    r"|[-–]\s+også\s+$"
    # a likeness with what was done then ("den samme alvor, som vi viste under pandemien")
    r"|(?<![^\W_])samme\s[^.:;!?]{0,40}?\bsom(?:\s+[^\W\d_]+){1,3}\s+$"
    # or with what somebody did then ("Vi skal handle lige så hurtigt på klimaet, som vi
    # gjorde under corona")
    r"|(?<![^\W_])som\s+(?:vi|de|man|han|hun|den|det|[^\W\d_]+erne|[^\W\d_]+en)"
    r"\s+(?:gjorde|var|havde|har\s+gjort)\s+$"
)
# The present after the period: "– nu" or ", nu" ("»Under corona savnede vi hinanden, nu
# spiller vi hver tirsdag«"), or the main clause after a relative clause that told the past
# ("Samme netværk, der spredte vaccinemyter under coronakrisen, angriber nu …").
_NOW_AFTER = re.compile(rf"[.:!?–-]\s+{NOW}|,\s+(?:[^\W\d_]+\s+)?{NOW}")


# Nor is what began then and is the story now: a work written, an idea or a fame born, a skill
# learnt during the period ("Björk udgiver album, hun skrev under corona-nedlukningen", "Idéen
# til den nye Klovn-film opstod under corona", "Influenceren, der blev kendt under
# coronanedlukningen, lancerer …", "»Vi lærte under corona, at …«"): the period dates the
# origin of another subject. In the trap file every headline with one of these verbs before
# "under" is labelled no topic. Not "startede", "udskudt" or "født": children who started
# school or were born then, and operations put off, are the period's effects ("Børn, der
# startede i skole under nedlukningen, halter stadig efter", "operationer udskudt under
# corona").
# The speaker's own start then is such an origin too ("Twitch-streamer: 'Jeg startede for sjov
# under corona'", "Brintpionér: »Det hele startede i garagen under coronanedlukningen«"): in
# the first person only, as a third person who started then may be the period's effect.
_ORIGIN_VERBS = r"skrev|opstod|lærte|fandt|blev\s+kendt|fik\s+idéen|fik\s+ideen"
_ORIGIN_BEFORE = re.compile(
    rf"(?<![^\W_])(?:skrevet|{_ORIGIN_VERBS}|(?:jeg|vi|det\s+hele)\s+(?:startede|begyndte))"
    r"(?![^\W_])[^.:;!?»«\"]{0,40}$"
)


# The same verbs after the period where it opens the clause (Danish puts the verb second:
# "»Under corona lærte jeg at gå på line i min baghave«", "Tidligere landsholdsspiller: »Under
# corona fandt jeg ud af, hvad jeg ville«"). A clause opened by the period with another verb
# tells what happened then ("»Under nedlukningen kørte vi 300 ture om dagen«"). All 7
# headlines of the trap file with such an opening are no topic; no corpus headline has one.
_CLAUSE_OPENS = re.compile(r"(?:^|[:.!?»«\"']\s*)$")
_ORIGIN_AFTER = re.compile(rf"\s+(?:{_ORIGIN_VERBS}|(?:startede|begyndte)\s+(?:jeg|vi))(?![^\W_])")


# Nor is a detail added after a dash to a headline that names the topic nowhere before it
# ("Nyt hajbassin i Hirtshals åbner – projektet blev udskudt under pandemien", "Vinterbadning
# slår rekord - mange begyndte under corona", "Spejderhytte ved Vordingborg til salg – var
# testcenter under corona"): the news is before the dash, the period dates a piece of its
# history. Of the trap file's 61 such headlines of the pandemic 57 are no topic; two of the
# other four report a measure before the dash ("Fysioterapeuter lukker klinikkerne – kun akut
# behandling under coronakrisen"), which keeps the period the story's, as a stop the headline
# reports does (`classifiers.cause`). The body, when there is one, still decides.
_DETAIL_AFTER_DASH = re.compile(r"\S\s+[–-]\s+[^–:!?]*$")


def _detail_after_dash(h: Hit, title: str) -> bool:
    m = _DETAIL_AFTER_DASH.search(title, 0, h.start)
    return m is not None and not reports_stop(title[: m.start() + 1])


# Nor is the past of one thing or person the headline's news is about, told in a relative
# clause on its definite noun ("Vinbaren, der startede som nødløsning under coronakrisen, får
# Bib Gourmand", "1813 vil holde fast i telefonvisitationen, der blev indført under corona",
# "Ny modtageklasse flytter ind i pavillonen, der var testcenter under corona"): the clause
# describes the thing, the rest of the headline is the news. Only the simple past (a perfect,
# "Studerende, der har mistet jobbet under corona, kan låne ekstra SU", tells an effect that
# lasts), only a definite singular (people in the plural or indefinite, "Børn, der startede i
# skole under nedlukningen, …", "Frisør, der holdt åbent under nedlukningen, skal betale …",
# are the period's effects), and only where the headline says more than the clause: the clause
# closed by a comma before the news, or the noun inside a clause of its own ("Mindeord:
# Overlægen, der stod forrest på intensiv under coronaen" is the person's story). All 10 such
# headlines of the trap file are no topic; no decision on the shared corpora changes.
_PAST_OF_ONE = re.compile(
    r"(?P<lead>[^\W\d_][\w'-]*\s+)?[^\W\d_]{2,}(?:en|et),?\s+(?:der|som)\s+"
    r"(?:[^\W\d_]+(?:ede|te)|var|blev|fik|gik|stod|lå|kom|tog|holdt|gav|rådgav)\s+"
    r"(?:[^\W\d_][\w-]*\s+){0,5}?$"
)
_CLAUSE_CLOSED = re.compile(r",\s+[^\W\d_]")


def _past_of_one(title: str, at: int, h: Hit) -> bool:
    m = _PAST_OF_ONE.search(title, max(0, at - 90), at)
    return m is not None and (
        m["lead"] is not None or _CLAUSE_CLOSED.match(title, h.end) is not None
    )


def during_in_headline(h: Hit, title: str, word: str | None, named_before: bool = False) -> bool:
    """Whether headline hit `h` after "under" reports what happened during the period.
    `named_before`: the headline names the topic before `h` too."""
    if word not in ("under", "during") or h.field != "title":
        return False
    if not named_before and _detail_after_dash(h, title):
        return False
    before = title[max(0, h.start - 70) : h.start]
    at = before.rfind(word)
    opens = _CLAUSE_OPENS.search(title, 0, h.start - len(before) + at) is not None
    return (
        not _COMPARED_DURING.search(before, 0, at)
        and not _NOW_AFTER.search(title, h.end)
        and not _ORIGIN_BEFORE.search(before, 0, at)
        and not (opens and _ORIGIN_AFTER.match(title, h.end))
        and not _past_of_one(title, h.start - len(before) + at, h)
    )


# A headline opening with the war's country as the time before its story ("Efter
# Afghanistan: Danmark sender soldater til Irak", "Efter Irak og Afghanistan: Nu vil
# Forsvaret rekruttere hackere"): what comes next is the news, as after "efter corona". Only
# the bare country name: "Efter Talibans magtovertagelse: …" tells the topic's own event.
# All three such headlines of the blind trap rounds were labelled no topic.
_AFTER_THE_WAR_BEFORE = re.compile(r"^efter\s+(?:[^\W\d_]+\s+og\s+)?$")
_AFTER_THE_WAR_AFTER = re.compile(r"(?:\s+og\s+[^\W\d_]+)?\s*:")


def _after_the_war(h: Hit, title: str) -> bool:
    return (
        h.surface == "afghanistan"
        and h.start < 20
        and _AFTER_THE_WAR_BEFORE.match(title, 0, h.start) is not None
        and _AFTER_THE_WAR_AFTER.match(title, h.end) is not None
    )


def single_in_headline(h: Hit, title: str, doc: Document, kin: Callable[[str], bool]) -> bool:
    """Whether a headline hit is a single mention rather than the headline's subject: an item
    of a list (also of a digest set apart by dashes, dots or an overview's commas), an end of
    a range, the past part of a portrait's "then – now", one person described by service
    (also as a verb: "var udsendt til Afghanistan"), by a role in the pandemic, by
    nationality or by origin. `kin`: whether a stretch of the headline names a sibling of the
    topic (`classifiers.lists.is_listed`)."""
    return (
        is_listed(h, title, doc.title, doc.text, kin)
        or _range_end(h, title)
        or in_past_part(h, title)
        or describes_one_person(h, title, doc.text)
        or _after_the_war(h, title)
        or in_digest(title)
        or later_in_overview(h, title)
        or travelled_to_meeting(h, title)
        or in_short_quote(h, title)
    )


# A headline that measures another subject by the topic ("RS-virus presser børneafdelingerne
# hårdere end covid nogensinde gjorde", "Fugleinfluenza er en større trussel end corona
# var"): the topic is the yardstick of the other subject's story (`kin` finds the other
# subject, one of the topic's `others`). Without another subject "end" stays a comparison
# that may be about the topic ("Intet er vigtigere end Nato-medlemskab").
_THAN = re.compile(r"(?<![^\W_])(?:end|than)\s+$")


# A degree compared with the pandemic measures another crisis by it without naming one of
# the topic's `others` ("Danske eksportører: Tolden er værre end coronakrisen", "Kroejer om
# elregningen: 'Det her er værre end corona'"): all six such headlines of the trap file are
# labelled no topic. Only the period or the disease by name ("coronavirus" may be compared
# with a variant of itself).
_DEGREE_THAN = re.compile(
    r"(?<![^\W_])(?:værre|hårdere|større|farligere|alvorligere|dyrere|dødeligere|mere|mindre"
    r"|worse|bigger|harder|more)(?![^\W_])[^.:!?]{0,40}?(?<![^\W_])(?:end|than)\s+$"
)

_NOTHING = re.compile(r"(?<![^\W_])(?:intet|ingenting|ingen|nothing|no)(?![^\W_])")

# A comparison told by a verb a few words before the topic's period, disease or country
# ("Fugleinfluenza i malkekøer: »Det minder om de første uger med corona«", "Køerne på
# apotekerne minder om vaccinekøerne under corona", "»Vejen ligner noget fra Afghanistan«",
# "Mpox kan ikke sammenlignes med corona", "Lige så mange værnepligtige som under
# Afghanistan-krigen"): another subject measured by the topic, as `figures` reads the verb
# right before the name. In the trap file and blind rounds 343-346 all 19 such headlines are
# no topic; the shared corpora have none. Not the alliance ("Rutte minder om Natos løfte"
# reminds of its own promise), not a measure ("politiet minder om coronareglerne"), and not
# a clause ("Det ligner, at …").
_COMPARED_STEMS = ("minde", "ligne", "sammenlign", " så ")
_COMPARABLE_PLACES = COUNTRIES - {"nato"}  # (the alliance is a place on the map there)
_COMPARED = re.compile(
    r"(?<![^\W_])(?:(?:minder|mindede)\s+om|ligner|lignede"
    r"|sammenlign\w*(?:\s+[^\W\d_]+){0,2}?\s+med|" + AS_MUCH_AS + ")"
    r"(?:\s+(?!(?:at|det|om)(?![^\W_]))[^\W\d_][\w-]*){0,5}\s+$"
)


def yardstick_in_headline(h: Hit, title: str, kin: Callable[[str], bool]) -> bool:
    """Whether headline hit `h` follows "end" in a headline that names another subject, or
    names the pandemic after a degree compared ("værre end corona"), or names the topic's
    period, disease or country a few words after a verb of comparison ("minder om")."""
    if h.field != "title":
        return False
    if (
        any(stem in title for stem in _COMPARED_STEMS)  # cheap: most headlines compare nothing
        and (names_circumstance(h.surface) or h.word.split("-")[0] in _COMPARABLE_PLACES)
        and _COMPARED.search(title, max(0, h.start - 60), h.start) is not None
    ):
        return True
    if _THAN.search(title, max(0, h.start - 8), h.start) is None:
        return False
    if kin(title):
        return True
    if PERIOD.match(h.surface) is None:
        return False
    m = _DEGREE_THAN.search(title, max(0, h.start - 60), h.start)
    # "Intet presser afdelingerne hårdere end covid": nothing else measures up, the topic is
    # the subject
    return m is not None and _NOTHING.search(title, 0, m.start()) is None


# A timeline or a review of the year ("Tidslinje: Imran Khan – fra cricketstjerne til
# fængslet ekspremierminister", "Overblik: Året, der gik"): the body lists the events of
# another subject, each one entry, so a topic named only there is one of many things. A
# timeline of the topic names it in its headline ("Tidslinje: 20 år i Afghanistan").
# An "on this day" column ("Det skete i dag: 4. april", "På denne dag", "Dagen i dag – 7.
# oktober") lists a day's events of many years the same way, when its headline names only the
# day; one that names an event tells that event ("Dagen i dag – 9. september: Ahmad Shah
# Massoud dræbes", "Det skete i dag: Den første smittede i Danmark").
_TIMELINE = re.compile(
    r"^(?:[^\W\d_]+:?\s+)?(?:tidslinje|timeline)\b|året,?\s+der\s+gik\b"
    r"|^(?:det\s+skete\s+i\s+dag|på\s+denne\s+dag|dagen\s+i\s+dag|on\s+this\s+day"
    r"|this\s+day\s+in\s+history)\s*[:-]?\s*"
    r"(?:\d{1,2}\.?\s+[^\W\d_]+\.?(?:\s+\d{4})?|[^\W\d_]+\s+\d{1,2}(?:,?\s+\d{4})?)?\s*$"
)


def is_timeline(title: str) -> bool:
    """Whether normalised `title` heads a timeline or a review of the year."""
    return _TIMELINE.search(title) is not None
