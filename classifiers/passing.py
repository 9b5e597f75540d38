"""Passing mentions: where a keyword names no subject of the story.

The labelling rubric's passing mentions, read around one hit: a time marker ("siden
coronakrisen"), an event that only dates the story or measures another's figure ("flest
siden corona"), a border that places another country's news, one of several places listed
in a body (`classifiers.places`), and, each in a module of its own, a background clause
("landet, der er medlem af Nato": `classifiers.background`) and a figure of speech ("et nyt
Afghanistan": `classifiers.figures`). A hit here counts for nothing
(`classifiers.evidence.Evidence.background`). The headline's own readings (lists, a person's
past or role) are `classifiers.headline`.
"""

from __future__ import annotations

import re

from classifiers.background import in_background_clause
from classifiers.figures import is_figure_of_speech
from classifiers.places import COUNTRIES, OTHER_PLACES, among_places
from classifiers.terms import Hit

__all__ = ["PERIOD", "end_of_range", "is_passing", "time_word"]

# A hit used as a point in time ("efter corona", "siden coronakrisen", "under pandemien",
# "da pandemien hærgede") is a passing mention, not the subject (labelling rubric). Only
# period-like words qualify, so "efter Nato-topmødet" still counts.
# One adjective may sit between ("efter stor corona-nedtur", "trods lang pandemi").
# "med" is no word of time: in the shared corpora nearly every "med corona/covid" is the
# illness itself ("indlagt med covid-19", "smittet med corona"; 1 of the first 45 a period,
# "årene med corona"), the subject of the story as often as not.
# English wires use the same markers ("travel rebounds since Covid", "before the pandemic"):
# keyword rules apply in every language, so the English words of time are among them.
_DATING = (
    r"(?:efter|før|under|siden|inden|trods|ovenpå|oven på|da|mens|dengang"
    r"|since|after|before|during|despite)"
)
# Or a duration in the genitive ("efter to års coronapause", "efter ni ugers nedlukning"), or
# one "med" the period ("Sygeplejerske efter to år med corona: …", "Efter to år med corona:
# Folkemødet slår rekord"): a span of time, not the illness that "med" alone names.
_ARTICLE_ADJECTIVE = (
    r"(?:(?: den| de| en| et| the)?(?: \w+)?|(?: \w+)? (?:års|ugers|måneders|dages)"
    r"|(?: \w+)? (?:år|uger|måneder|dage) med) $"
)
# The word of time must start a word ("Canada corona" has no "da" in it); the greedy ".*"
# makes the match the one nearest the hit.
_TIME_WORD = re.compile(rf".*(?<![^\W_])(?P<word>{_DATING}|fra){_ARTICLE_ADJECTIVE}", re.DOTALL)
# ("efter hårde coronaår", "efter ufrivillig coronapause": a year or a pause named after the
# pandemic is a period like its crisis)
PERIOD = re.compile(
    r"(?:corona|covid|covid-19|coronaen|[\w-]*(?:krisen|pandemien|pandemi|tiden|årene|år|året"
    r"|pause|pausen|epidemien|nedturen|nedtur|nedlukningen|nedlukningerne|nedlukninger"
    r"|boom|boomet|boommet"
    # the closure and the cancellation it brought ("siden coronalukningen i 2020", "tilbage
    # efter coronaaflysningen")
    r"|lukningen|aflysningen|aflysningerne"
    # a season named after it ("efter to coronavintre", "under coronasommeren")
    r"|vinter|vinteren|vintre|vintrene|sommer|sommeren|somre|somrene"
    # the stock market's crash of March 2020 ("værste dag siden coronakrakket")
    r"|krak|krakket))$"
)
# A named period after a word of time alone ("siden coronakrisen", "efter pandemien", "før
# coronaårene", "under nedlukningen") dates the story and names no subject: the issue's own
# passing mention, counted like a background clause. So does the disease's bare name after a
# preposition of time ("Sundhedsplejersker: Efter corona skal vi forklare vaccinerne mere",
# "færre vaccineres mod hepatitis end før corona"): in the trap file's blind rounds every such
# headline was another story's time marker, and none of the shared corpora's 75,375
# decisions changes. The illness's own consequences are no time marker
# (`_AFTERMATH_OF_ILLNESS`), nor is the disease as the subject of a clause a conjunction opens
# ("da coronaen lukkede grænserne", "mens corona hærger": what it did), nor a period after
# "fra" ("erfaringerne fra coronakrisen"): those may be the subject, single mentions.
_DISEASE = re.compile(r"(?:corona|covid|covid-19|coronaen)$")
_CONJUNCTIONS = frozenset({"da", "mens", "dengang"})
# A concession before the disease's bare name ("Skolerne forbliver åbne trods corona",
# "Nato-øvelse gennemføres trods corona – med håndsprit og afstand") names the disease and its
# rules as what the story's event had to overcome: the subject, not a time. In the trap file's
# blind rounds 16 of the 19 such headlines are labelled covid; the other 3 list corona among
# other troubles ("trods corona, inflation og strid med EU"), which the list rules read. The
# shared corpora have none, and none of their 75,375 decisions changes. A named period after
# it ("Trods pandemien: Lego leverer historisk overskud") still dates another story.
_CONCESSIONS = frozenset({"trods", "despite"})
# An event of the topic after "siden" dates the story just as a named period does: "det
# laveste niveau siden kaosset i Kabul", "den største udsendelse siden krigen i
# Afghanistan", "flest passagerer siden udbruddet af covid-19". The event is a noun in the
# definite form tied to the hit by a preposition, so a clause that goes on to report on the
# topic ("Siden har Taliban …", "Siden 2021 har Taliban …") is not one. Other words of time
# are left out: "Efter kaosset i Kabul: …", "PTSD under krigen i Afghanistan" and "Inden
# topmødet i Nato: …" are about the aftermath, the war and the summit as often as not. A
# clause naming the years when the event happened dates the story too, and so does a
# comparison with the time of the event ("Forsvarsbudgettet er større end under krigen i
# Afghanistan": "end" before the word of time; "end" alone compares with the topic itself,
# "Intet er vigtigere end Nato-medlemskab", and stays).
_EVENT_DATING = re.compile(
    r"(?<![^\W_])(?:(?:siden|end\s+(?:under|før|efter))\s+(?:den\s+|det\s+)?(?:[^\W\d_]+\s+)?"
    # (also an event during the period, "siden nedlukningerne under corona": all 23 such
    # bodies of the trap file are no topic)
    r"[^\W\d_]{2,}(?:en|et|ne)\s+(?:i|fra|af|til|mod|på|ud af|under)"
    # or the article and an adjective before the noun's indefinite form ("den laveste siden
    # den kaotiske tilbagetrækning fra Afghanistan")
    r"|siden\s+(?:den|det)\s+[^\W\d_]+e\s+[^\W\d_]{3,}\s+(?:i|fra|af|til|mod|på|ud af)"
    r"|since\s+the\s+(?:[^\W\d_]+\s+)?[^\W\d_]{3,}\s+(?:in|of|from)"
    # a time before anyone knew of it: "længe før nogen havde hørt om covid-19"
    r"|(?:før|inden)\s+(?:nogen|vi|man|de\s+fleste)\s+(?:havde|har)\s+hørt\s+om"
    r"|before\s+(?:anyone|most\s+people)\s+(?:had\s+)?heard\s+of"
    # a time when it happened: "også i de år, hvor danske soldater kæmpede i Afghanistan"
    r"|(?:årene|år|tiden|dengang|dage|dagene),?\s+(?:hvor|da)\s+(?:[^\W\d_][\w-]*\s+){1,6}?"
    r"(?:i|fra|til|mod|ud af))\s+$"
)
# A record or a first since the disease ("Flest turister siden corona", "Første dyk i
# forbruget siden corona"): the disease after "siden" is a point in time there, as a period
# is (alone, "syg siden covid-19" may be long covid, the illness).
_RECORD_SINCE = re.compile(
    r"(?<![^\W_])(?:første|flest|færrest|mest|mindst|højeste|laveste|største|mindste|bedste"
    r"|værste|rekord\w*|first|highest|lowest|most|fewest|biggest|best|worst"
    # ("Længste lastbilkø i Kent siden coronalukningen i 2020")
    r"|længste|korteste|dyreste|billigste|travleste|stærkeste|svageste)(?![^\W_])"
    r"[^.:;!?]{0,50}?(?<![^\W_])(?:siden|since)\s+$"
)
# A record or a first since the topic's war or one of its events is dated the same way
# ("Første kampmission siden Afghanistan", "Det største indkøb til Hæren siden
# Afghanistan-krigen", "De første soldater dræbt siden Afghanistan-tilbagetrækningen"): a
# country after such a "siden" is its war, the yardstick of another story's first. So is its
# capital, the 2021 airlift's ("Største evakuering siden Kabul: 130 danskere hentet ud af
# Sudan", "den største siden Kabul i 2021").
_CAPITALS_OF_EVENTS = frozenset({"kabul"})
_EVENT_AFTER_RECORD = re.compile(
    r"[^\W\d_]*(?:krigen|tilbagetrækningen|evakueringen|missionen|indsatsen|invasionen"
    r"|udsendelsen|magtovertagelsen|topmødet"
    # or any event of the topic in the definite plural ("den største siden coronaprotesterne")
    r"|erne)$"
)
# So is a comparison with the period ("Rekordmange i sommerhus – flere end i coronasommeren",
# "færre end under pandemien"): the period is the yardstick of another story's figure.
# ("end selv i coronaårene": "selv" only stresses the yardstick)
_COMPARED_WITH = re.compile(
    r"(?<![^\W_])(?:end|heller\s+ikke)\s+(?:selv\s+)?(?:i|under|efter|før)\s+(?:den\s+|det\s+)?$"
)
# or with a season or years named after the disease, with no preposition ("varmere end
# coronasommeren 2020", "færre end coronaårene"). Not the disease itself, which may be the story
# ("Intet er farligere end corona lige nu"), nor the lockdown, whose reopening may be
# ("Genåbningen er sværere end nedlukningen").
_THAN_THE_DISEASE = re.compile(r"(?<![^\W_])end\s+(?:selv\s+)?$")
_DISEASE_PERIOD = re.compile(
    r"(?:corona|covid)-?(?:sommer|sommeren|vinter|vinteren|forår|foråret|efterår|efteråret"
    r"|år|året|årene|tiden)$"
)
# And a comparison with what the disease did ("Rygning dræber stadig flere end corona gjorde",
# "… hårdere end covid nogensinde gjorde"): its past toll is the yardstick of another
# story's. ("end" with no verb after may compare with the topic itself: "Intet er vigtigere
# end Nato-medlemskab".)
_THAN_BEFORE = re.compile(r"(?<![^\W_])(?:end|than)\s+$")
_DID_AFTER = re.compile(
    r"\s+(?:nogensinde\s+|ever\s+)?(?:gjorde|var|har\s+gjort|havde\s+gjort|did|was)(?![^\W_])"
)
# A place named by what it was ("Jobcentret flytter ind i det tidligere coronatestcenter",
# "indbrud i gammelt coronatestcenter", "Tidligere covid-afdeling er nu traumecenter"): the
# place now, its past use a description. All 16 such trap items with the pandemic's places
# are labelled no topic (the measure itself stays the topic's: "Kan man stole på en gammel
# coronatest?"; a former post describes one person, `classifiers.persons`).
_FORMER_USE = re.compile(
    r"(?<![^\W_])(?:nedlagt|nedlagte|gammel|gammelt|gamle|tidligere|forhenværende)\s+$"
)
_PLACE_OF_USE = re.compile(
    r"[\w-]*(?:center|centret|centre|telt|teltet|hotel|hotellet)$"
    # the pandemic's wards, halls, clinics and firms too ("gamle covid-testhal", "tidligere
    # coronatestfirma"), in one word with it
    r"|(?:corona|covid)(?:-19)?-?(?:test)?(?:centeret|sted|stedet|hal|hallen|afdeling"
    r"|afdelingen|firma|firmaet|klinik|klinikken)$"
)
# The pandemic as the teacher of a lesson somebody tells today ("»Coronaårene lærte mig
# tålmodighed«", "Corona lærte os, at digitale indsamlinger virker"): a period looked back on,
# as "siden coronakrisen" is. Only the past tense: "Coronakrisen har lært danskerne at lave mad"
# reports what the pandemic does while it lasts. In the trap file 7 of the 8 such headlines
# are no topic (the eighth, nursery teachers' small groups, tells the measure itself).
_TAUGHT = re.compile(r"\s+lærte\s+(?:mig|os|dig|jer|ham|hende|dem)(?![^\W_])")
# The first of something without the pandemic's rules ("Første påske uden coronaregler: her er
# helligdagenes tv-program", "årets influenzasæson – den første uden coronarestriktioner") is
# that thing's story, measured against the years before: a yardstick, as "siden corona" is.
_FIRST_WITHOUT = re.compile(r"(?<![^\W_])første\s+(?:[^\W\d_]+\s+){0,2}?uden\s+$")
# English wires date by the disease with a prefix ("bookings beat pre-Covid levels", "back to
# pre-COVID figures"): "before covid", a yardstick. All 13 trap and blind items with "pre-"
# before the disease are labelled no topic; the shared corpora have none. So does "post-"
# before the bare name ("Post-Covid boom in dog ownership fades", "post-COVID supply
# backlog"; all 3 such trap and blind items are no topic), except the long covid it names
# too ("post-COVID condition"); the long-covid clinics' compounds ("Post-covid-ambulatoriet
# lukker") are no bare name.
_PRE = re.compile(r"(?<![^\W_])(?:pre|præ|post)-$")
_LONG_COVID_AFTER = re.compile(
    r"\s+(?:condition|conditions|syndrome|symptoms|clinic|clinics|care|patients)(?![^\W_])"
)
# A negated cause or subject names what the story is not about ("Julefrokosten aflyst igen –
# denne gang ikke på grund af corona, men fordi ingen gad", "»Det er ikke corona denne
# gang«", "Ikke ét ord om corona: Her er emnerne i nytårstalen").
_NOT_BECAUSE = re.compile(
    r"(?<![^\W_])(?:ikke|aldrig)\s+(?:på\s+grund\s+af|pga\.?|grundet|(?:et|ét)\s+ord\s+om)"
    r"\s+(?:den\s+|det\s+)?$"
)
_NOT_BEFORE = re.compile(r"(?<![^\W_])ikke\s+$")
_THIS_TIME_AFTER = re.compile(r"\s+denne\s+gang(?![^\W_])")
# So does the topic set against the subject ("Valgkamp 2022: Nu handler det om inflation, ikke
# corona", "Moldova søger om medlemskab af EU - ikke af Nato", "Rettelse: Restauranten åbnede i
# 2019, ikke under corona"): "X, ikke Y" names X as the subject and Y as what it is not. In
# the trap file 5 of the 6 items with such a clause are labelled without the topic; the sixth
# names its topic elsewhere ("… til mad og medicin – ikke til Taleban" in a story of
# Afghanistan's hunger).
_NOT_INSTEAD = re.compile(
    r"(?:,|\s[-–])\s*(?:men\s+)?ikke\s+(?:(?:om|under|i|på|til|for|med|af)\s+)?"
    r"(?:den\s+|det\s+|de\s+)?$"
    # or said outright ("Axelsen melder afbud – men det er ikke corona", "Coronavirus fundet i
    # døde rådyrkid - men det er ikke covid", "»Det er ikke længere corona, der er
    # problemet«"); "ikke kun Nato-landene" (not only) is no denial
    r"|(?<![^\W_])det\s+(?:er|var)\s+ikke\s+(?:længere\s+|en\s+)?$"
)


def _negated(h: Hit, field_text: str) -> bool:
    before = field_text[max(0, h.start - 30) : h.start]
    return (
        _NOT_BECAUSE.search(before) is not None
        or _NOT_INSTEAD.search(before) is not None
        or (
            _NOT_BEFORE.search(before) is not None
            and _THIS_TIME_AFTER.match(field_text, h.end) is not None
        )
    )


# A place near a country's border is placed by it ("bjergområderne tæt på grænsen til
# Afghanistan" in a story of Pakistan's floods): the border locates another country's news.
_NEAR = r"(?<![^\W_])(?:nær|tæt\s+på|ved|langs|op\s+til)\s+"
_NEAR_BORDER = re.compile(
    _NEAR + r"(?:den\s+\w+\s+)?grænsen\s+(?:til|mod)\s+$"
    # also by the verb, one of the neighbours listed ("Bjergregionen grænser op til Kina og
    # Afghanistan" in a story of Tajikistan's unrest): of the trap file's 19 bodies with it, all
    # without the topic, 17 were read so as a relative clause ("Landet, der grænser op til …")
    r"|(?<![^\W_])grænser\s+(?:op\s+)?(?:til|mod)\s+" + OTHER_PLACES + "$"
)
# So is a place at the alliance's border ("Russisk brigade ved Natos grænse er næsten tømt for
# soldater", "tropper langs Natos østgrænse"): the border locates Russia's news.
_AT_BORDER_BEFORE = re.compile(_NEAR + "$")
_BORDER_AFTER = re.compile(r"s?\s+(?:øst|nord|syd)?grænse(?:n|r|rne)?(?![^\W_])")


# The illness's own consequences after "efter" or "siden" are no point in time: "senfølger
# efter covid-19" and "syg siden covid-19" are long covid, which the rubric counts as the
# topic; so are being ill or well again after it ("dem, der aldrig blev raske efter covid",
# "stadig syg efter corona", "kom sig efter covid-19"): words of a patient, which no period
# takes.
_AFTERMATH_OF_ILLNESS = re.compile(
    r"(?<![^\W_])(?:senfølger|senfølgerne|følgevirkninger|eftervirkninger|mén|seneffekter"
    r"|rask|raske|syg|syge|sig"
    # and dying of it or being admitted with it ("døde efter covid-19", "indlagt efter corona")
    r"|død|døde|dør|indlagt|indlagte)\s+(?:efter|siden)\s+$"
)


# Years or seasons the pandemic marked, named by an adjective before the period ("efter to
# coronaaflyste år", "efter tre coronaprægede sæsoner"): a period like "coronaårene".
_MARKED = re.compile(r"[\w-]*(?:aflyste|prægede|ramte|lukkede)$")
_PERIOD_AFTER = re.compile(r"\s+(?:år|årene|sæsoner|somre|vintre)(?![^\W_])")


# Cancellations and postponements counted are a span of time too ("Efter to coronaaflysninger:
# Skovløbet er tilbage", "Motionsløbet er tilbage efter to covid-aflysninger", "indviet efter
# to års coronaudsættelse"); uncounted they are the pandemic's own news ("Aarhus Havn mister
# 100 millioner efter corona-aflysninger", "Esportsklubber søger hjælpepakke efter
# coronaaflysninger"). All 9 trap headlines with a count are no topic; 7 of the 9 without are
# COVID-19.
_STOPS = re.compile(r"[\w-]*(?:aflysning|aflysninger|udsættelse|udsættelser)$")
_COUNT_BEFORE = re.compile(
    r"(?<![^\W_])(?:to|tre|fire|fem|seks|flere|\d+)\s+(?:(?:års|år\s+med)\s+)?$"
)


def time_word(h: Hit, field_text: str) -> str | None:
    """The word of time that makes hit `h` a point in time ("siden" in "siden
    coronakrisen"), or None when `h` names no period or nothing dates it."""
    if not PERIOD.match(h.word) and not (
        (_MARKED.match(h.word) and _PERIOD_AFTER.match(field_text, h.end))
        or (
            _STOPS.match(h.word)
            and _COUNT_BEFORE.search(field_text, max(0, h.start - 16), h.start) is not None
        )
    ):
        return None
    before = field_text[max(0, h.start - 30) : h.start]
    m = _TIME_WORD.match(before)
    if m is None or _AFTERMATH_OF_ILLNESS.search(before):
        return None
    if m.group("word") in _CONCESSIONS and _DISEASE.match(h.surface):
        return None
    return m.group("word")


def _only_dates(h: Hit, word: str | None) -> bool:
    """Whether hit `h`, after the word of time `word` (`time_word`), only dates the story
    ("siden coronakrisen", "efter corona"), not a period after "fra" or the disease as the
    subject of a clause ("da coronaen lukkede …")."""
    if word is None or word == "fra":
        return False
    return word not in _CONJUNCTIONS or not _DISEASE.match(h.surface)


# A span "alt fra A til B" in a body names the ends of a range of many things, as it does in a
# headline (`classifiers.headline`): a career ("Han har tegnet alt fra Murens fald til
# corona"), a programme ("debatter om alt fra sundhed og klima til Nato"), an ombudsman's cases
# ("alt fra byggetilladelser og parkeringsbøder til corona"). An end may hold two or three
# things ("alt fra roskildesyge og influenza til covid"). Only after "alt", "alting" or "lige":
# a bare "fra … til" in a body is as often a route or a span of time, and so is "alle fra"
# ("fløj alle fra Kabul til Doha"). All 43 such bodies of the trap file and the blind rounds
# with a topic at an end of the span are labelled without it; the shared corpora have none.
_MANY_FROM = re.compile(r"(?<![^\W_])(?:alt|alting|lige)\s+fra\s+")
_MANY_TO = re.compile(r"[^.:;!?]{0,60}?\s+til\s+")
_END_MATES = re.compile(r"(?:[^\W\d_][\w-]*(?:,\s+|\s+og\s+|\s+eller\s+)){1,2}")


def end_of_range(
    h: Hit,
    text: str,
    opens: re.Pattern[str],
    to: re.Pattern[str],
    mates: re.Pattern[str],
    start: int = 0,
) -> bool:
    """Whether hit `h` is an end of a range that `opens` begins ("fra A til B") and `to`
    closes, or one of the things `mates` lists at an end ("fra A og B til C"). The headline's
    ranges (`classifiers.headline`) and the body's share it, with their own patterns."""

    def at(begin: int) -> bool:
        return begin == h.start or mates.fullmatch(text, begin, h.start) is not None

    for m in opens.finditer(text, start, h.start + 1):
        if at(m.end()) and to.match(text, h.end):
            return True
        closed = to.match(text, m.end())
        if closed is not None and closed.end() <= h.start and at(closed.end()):
            return True
    return False


def _range_end_in_body(h: Hit, field_text: str) -> bool:
    """Whether body hit `h` is an end of a span "alt fra A til B" (or a thing listed there)."""
    start = max(0, h.start - 100)
    if field_text.find("fra ", start, h.start) < 0:
        return False  # most hits: no "fra" before them, no range
    return end_of_range(h, field_text, _MANY_FROM, _MANY_TO, _END_MATES, start)


def is_passing(h: Hit, field_text: str, word: str | None) -> bool:
    """Whether hit `h` names no subject: a background clause, a named period or an event that
    only dates the story or measures another's figure, a simile (also in one word:
    "Taleban-lignende"), one of several countries listed in the body or a border that places
    another country's news, a slang compound."""
    return (
        is_figure_of_speech(h, field_text)
        or in_background_clause(h, field_text)
        or _only_dates(h, word)
        or _EVENT_DATING.search(field_text, max(0, h.start - 60), h.start) is not None
        or (
            (
                PERIOD.match(h.word) is not None
                or h.word in COUNTRIES
                or h.word in _CAPITALS_OF_EVENTS
                or _EVENT_AFTER_RECORD.match(h.surface.replace("-", "")) is not None
            )
            and (
                _RECORD_SINCE.search(field_text, max(0, h.start - 70), h.start) is not None
                or _COMPARED_WITH.search(field_text, max(0, h.start - 20), h.start) is not None
            )
        )
        or (
            _DISEASE_PERIOD.match(h.word) is not None
            and _THAN_THE_DISEASE.search(field_text, max(0, h.start - 12), h.start) is not None
        )
        or _FIRST_WITHOUT.search(field_text, max(0, h.start - 40), h.start) is not None
        or (PERIOD.match(h.word) is not None and _TAUGHT.match(field_text, h.end) is not None)
        or (
            _DISEASE.match(h.surface) is not None
            and _PRE.search(field_text, max(0, h.start - 5), h.start) is not None
            and _LONG_COVID_AFTER.match(field_text, h.end) is None
        )
        or (
            _PLACE_OF_USE.match(h.surface) is not None
            and _FORMER_USE.search(field_text, max(0, h.start - 20), h.start) is not None
        )
        or (
            _THAN_BEFORE.search(field_text, max(0, h.start - 6), h.start) is not None
            and _DID_AFTER.match(field_text, h.end, h.end + 24) is not None
        )
        or (
            h.field != "title"
            and h.word in COUNTRIES
            and _NEAR_BORDER.search(field_text, max(0, h.start - 40), h.start) is not None
        )
        or (
            h.surface.startswith("nato")
            and _BORDER_AFTER.match(field_text, h.end, h.end + 16) is not None
            and _AT_BORDER_BEFORE.search(field_text, max(0, h.start - 12), h.start) is not None
        )
        or (h.field != "title" and among_places(h, field_text))
        or (h.field != "title" and _range_end_in_body(h, field_text))
        or _negated(h, field_text)
    )
