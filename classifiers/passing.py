"""Passing mentions: where a keyword names no subject of the story.

The labelling rubric's passing mentions, read around one hit: a time marker ("siden
coronakrisen"), a background clause ("landet, der er medlem af Nato"), a former office, an
event that only dates the story, a simile, one of several places listed in a body
(`classifiers.places`). A hit here counts for nothing
(`classifiers.evidence.Evidence.background`). The headline's own readings (lists, a person's
past or role) are `classifiers.headline`.
"""

from __future__ import annotations

import re

from classifiers.keywords import Hit
from classifiers.places import COUNTRIES, REGIONS, among_places

__all__ = ["PERIOD", "is_passing", "names_former_holder", "time_word"]

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
    r"|pause|pausen|epidemien|nedturen|nedtur|nedlukningen|nedlukningerne|boom|boomet|boommet"
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
    r"[^\W\d_]{2,}(?:en|et|ne)\s+(?:i|fra|af|til|mod|på|ud af)"
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
    r"|værste|rekord\w*|first|highest|lowest|most|fewest|biggest|best|worst)(?![^\W_])"
    r"[^.:;!?]{0,50}?(?<![^\W_])(?:siden|since)\s+$"
)
# A record or a first since the topic's war or one of its events is dated the same way
# ("Første kampmission siden Afghanistan", "Det største indkøb til Hæren siden
# Afghanistan-krigen", "De første soldater dræbt siden Afghanistan-tilbagetrækningen"): a
# country after such a "siden" is its war, the yardstick of another story's first.
_EVENT_AFTER_RECORD = re.compile(
    r"[^\W\d_]*(?:krigen|tilbagetrækningen|evakueringen|missionen|indsatsen|invasionen"
    r"|udsendelsen|magtovertagelsen|topmødet"
    # or any event of the topic in the definite plural ("den største siden coronaprotesterne")
    r"|erne)$"
)
# So is a comparison with the period ("Rekordmange i sommerhus – flere end i coronasommeren",
# "færre end under pandemien"): the period is the yardstick of another story's figure.
_COMPARED_WITH = re.compile(
    r"(?<![^\W_])(?:end|heller\s+ikke)\s+(?:i|under|efter|før)\s+(?:den\s+|det\s+)?$"
)
# A place near a country's border is placed by it ("bjergområderne tæt på grænsen til
# Afghanistan" in a story of Pakistan's floods): the border locates another country's news.
_NEAR_BORDER = re.compile(
    r"(?<![^\W_])(?:nær|tæt\s+på|ved|langs|op\s+til)\s+(?:den\s+\w+\s+)?grænsen\s+(?:til|mod)\s+$"
)
# A hit in a background clause about membership ("Finland, der blev medlem af Nato sidste år,
# …", "Finland, der har søgt om medlemskab af Nato, …", "Tyrkiet, som også er Nato-medlem,
# …") describes a country the story is about, as the labelling rubric's own example of a
# passing mention ("landet, der er medlem af Nato") says. Only the relative clause of
# membership qualifies: other relative clauses often carry the subject ("tolkene, der
# arbejdede for de danske soldater i Afghanistan").
_CLAUSE_START = r",\s*(?:der|som)\s+(?:[^\W_][\w-]*\s+){0,4}?"
_MEMBER_OF = re.compile(
    # or the clause of a person's country ("Stubb, hvis land blev medlem af Nato i 2023, …";
    # a bare noun after "hvis": "whose", not "if")
    r"(?:" + _CLAUSE_START + r"|,\s*hvis\s+(?:land|hjemland)\s+(?:[^\W_][\w-]*\s+){0,3}?)"
    r"(?:medlem(?:skab)?\s+af|med\s+i|optaget\s+i|optagelse\s+i)\s+$"
)
_CLAUSE_BEFORE = re.compile(_CLAUSE_START + r"$")
# A place introduced by an event it hosted ("Vilnius, der var vært for Nato-topmødet, bliver
# Europas grønne hovedstad") is described like a member: the clause dates the place.
_HOSTED = re.compile(_CLAUSE_START + r"(?:var|har\s+været|havde\s+været)\s+vært\s+for\s+$")
_MEMBER_AFTER = re.compile(r"-?medlem(?:met|mer|s?land(?:et)?)?(?![^\W_])")
# The same description as a main clause that only adds what the countries are ("Estland og
# Letland er begge Nato-medlemmer og har presset på for …", "Norge er også medlem af Nato"):
# "begge", "også", "alle", "allerede" mark a known fact, not news. Without them ("Finland er
# nu medlem af Nato", "Sverige er blevet Nato-medlem") the membership is the story and stays.
_MEMBER_STATED = (
    r"(?<![^\W_])(?:er\s+(?:begge|også|alle|allerede)"
    # the same in a subordinate clause ("…, at begge lande nu er medlem af Nato")
    r"|begge\s+(?:lande\s+)?(?:nu\s+)?er)\s+"
)
_MEMBER_STATED_OF = re.compile(_MEMBER_STATED + r"medlem(?:mer)?\s+af\s+$")
# A membership that dates the story ("… ikke blevet mindre, efter at Finland blev medlem af
# Nato", "det første præsidentvalg, siden Finland blev medlem af Nato"): a point in time, as
# "siden coronakrisen" is. The clause tells when something else happened.
_MEMBER_SINCE = (
    r"(?<![^\W_])(?:efter\s+at|siden|da|før|inden)\s+(?:[^\W_][\w-]*\s+){1,3}?"
    r"(?:blev|var\s+blevet|er\s+blevet|kom)\s+"
)
_MEMBER_SINCE_OF = re.compile(_MEMBER_SINCE + r"(?:medlem\s+af|optaget\s+i|med\s+i)\s+$")
_MEMBER_SINCE_BEFORE = re.compile(_MEMBER_SINCE + r"$")
_MEMBER_STATED_BEFORE = re.compile(_MEMBER_STATED + r"$")
# A person introduced by a former office ("den tidligere statsminister og generalsekretær i
# Nato Anders Fogh Rasmussen", "tidligere Nato-chef …") is described, not reported on: the
# office is a background like a membership clause, whatever the person says now. English
# wires write the same ("Former NATO commander joins …", "former secretary general of NATO").
_FORMER = r"(?<![^\W_])(?:tidligere|forhenværende|fhv\.|eks-|former|ex-)\s*"
_FORMER_OFFICE = re.compile(
    _FORMER + r"(?:[^\W_][\w-]*\s+){0,4}?"
    r"(?:generalsekretær|chef|topchef|ambassadør|general|talsmand|talsperson"
    r"|secretary[- ]general|commander|chief|ambassador|spokesman|spokesperson)"
    r"\s+(?:i|for|ved|of|at)\s+$"
)
# The office may close a list of the person's offices ("den tidligere statsminister og
# Nato-generalsekretær Anders Fogh Rasmussen"): "tidligere" describes them all.
_FORMER_BEFORE = re.compile(_FORMER + r"(?:(?:[^\W_][\w-]*\s+){1,2}og\s+)?$")
# The person such an office introduces is the same background ("Tidligere Nato-chef Jens
# Stoltenberg bliver norsk finansminister", "den tidligere generalsekretær i Nato, Jens
# Stoltenberg, …"): a secretary general's name, a keyword or a related term, read there names
# the office the person left, not the alliance's news.
_FORMER_HOLDER = re.compile(
    _FORMER + r"(?:[^\W_][\w-]*\s+){0,4}?[\w-]*?"
    r"(?:generalsekretær|chef|topchef|ambassadør|general|talsmand|talsperson"
    r"|secretary[- ]general|commander|chief|ambassador|spokesman|spokesperson)"
    r"(?:\s+(?:i|for|ved|of|at)\s+[^\W_][\w-]*)?,?\s+(?:[^\W\d_]+\s+)?$"
)


# Words every match of a pattern contains: a substring test in C turns most hits away
# before the pattern, which is tried at every position of its 80-character window (3-10 µs
# a hit each; together ~4 µs per lead over the corpus, identical results).
_FORMER_WORDS = ("tidligere", "forhenværende", "fhv.", "eks-", "former", "ex-")
_PAST_POST_WORDS = ("kommer fra", "tidligere", "arbejdet", "ansat", "erfaring", "hent", "udstation")
_OLD_WORDS = ("gammel", "gamle", "tidligere", "forhenværende", "nedlagt")
_FAKE_WORDS = ("falsk", "påstå", "fup")


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def names_former_holder(h: Hit, field_text: str) -> bool:
    """Whether hit `h` is the name of a person introduced by a former office."""
    start = max(0, h.start - 80)
    return (
        _has_any(field_text[start : h.start], _FORMER_WORDS)
        and _FORMER_HOLDER.search(field_text, start, h.start) is not None
    )


# So is a past post in an appointment story ("Han kommer fra en stilling i Natos
# hovedkvarter", "har tidligere arbejdet i Nato"): the career of the person appointed.
_PAST_POST = re.compile(
    r"(?<![^\W_])(?:kommer fra (?:en stilling|et job|en post)"
    r"|tidligere (?:har )?(?:arbejdet|været ansat|været udstationeret))"
    r"(?:\s+[^\W_][\w-]*){0,3}?\s+(?:i|ved|hos)\s+$"
    # a past deployment in the same career ("… har tidligere været udsendt til Afghanistan,
    # Sydsudan og Irak" of a new head of an aid organisation)
    r"|(?<![^\W_])tidligere\s+(?:har\s+)?været\s+udsendt\s+til\s+$"
    # or in the relative clause that introduces the person, the place straight after the verb
    # ("Generalløjtnanten, der de seneste tre år har arbejdet i Natos militære hovedkvarter,
    # overtager posten", "…, der i tre år var udstationeret i Natos hovedkvarter, skal lede
    # …"; not "tolkene, der har arbejdet for de danske soldater i …")
    r"|" + _CLAUSE_START + r"(?:(?:har|havde)\s+(?:arbejdet|været\s+ansat|været\s+udstationeret)"
    r"|var\s+(?:ansat|udstationeret))\s+(?:i|ved|hos)\s+$"
    # a person's experience ("ny chef med erfaring fra Afghanistan og Irak", "Forsvarets nye
    # cyberchef har erfaring fra Afghanistan"; the lessons of it, "erfaringerne fra …", may be
    # the subject and stay named)
    r"|(?<![^\W_])(?:med|har|havde) (?:\w+\s+)?erfaring(?:er)? fra\s+$"
    # a head hired from there ("Københavns Lufthavne henter ny topchef fra Nato-hovedkvarteret");
    # a role noun, so the evacuation of the interpreters ("henter tolkene hjem fra …") stays
    r"|(?<![^\W_])(?:henter|hentede|hentes|hentet)\s+(?:\w+\s+){0,2}?"
    r"\w*(?:chef|chefen|direktør|direktøren|formand|formanden|leder|lederen|general|generalen"
    r"|ambassadør|rådgiver|rådgiveren)\s+fra\s+$"
)
# A former deployment describes a person the same way ("Tidligere Nato-udsendt soldat dømt
# for overfald").
_OFFICE_AFTER = re.compile(
    r"(?:-(?:generalsekretær|chef|topchef|ambassadør|general|udsendt|udsendte"
    # any former post there ("Tidligere Nato-officer skal redde skiforbundets økonomi",
    # "Tidligere Nato-læge skal lede nyt traumecenter")
    r"|officer|læge|diplomat|rådgiver|medarbejder|ansat)"
    r"|\s(?:secretary[- ]general|commander|chief|ambassador|general|spokesman|spokesperson))"
    r"(?![^\W_])"
)
# A former facility of the alliance put to other use ("Restaurant i gammel Nato-bunker får
# Michelinstjerne"): the place's past, like a person's former office.
_OLD = re.compile(
    r"(?<![^\W_])(?:gammel|gamle|gammelt|tidligere|forhenværende|nedlagt|nedlagte)\s+$"
)
_FACILITY_AFTER = re.compile(
    r"-(?:bunker|bunkeren|bunkers|base|basen|anlæg|anlægget|radar|radaren|depot|depotet|lejr"
    r"|lejren|flyvestation|flyvestationen|kaserne|kasernen)(?![^\W_])"
)

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


def time_word(h: Hit, field_text: str) -> str | None:
    """The word of time that makes hit `h` a point in time ("siden" in "siden
    coronakrisen"), or None when `h` names no period or nothing dates it."""
    if not PERIOD.match(h.word):
        return None
    before = field_text[max(0, h.start - 30) : h.start]
    m = _TIME_WORD.match(before)
    if m is None or _AFTERMATH_OF_ILLNESS.search(before):
        return None
    return m.group("word")


def _only_dates(h: Hit, word: str | None) -> bool:
    """Whether hit `h`, after the word of time `word` (`time_word`), only dates the story
    ("siden coronakrisen", "efter corona"), not a period after "fra" or the disease as the
    subject of a clause ("da coronaen lukkede …")."""
    if word is None or word == "fra":
        return False
    return word not in _CONJUNCTIONS or not _DISEASE.match(h.surface)


# A member described by the alliance ("valget i Nato-landet Tyrkiet", "Nato-medlemmet
# Ungarn", "Polen bygger hegn … – Nato-landet frygter …"): the rubric's "landet, der er
# medlem af Nato" as one word. Singular and definite, it names one member, not the alliance
# ("Nato-landene mødes …" still names it).
_MEMBER_DESCRIBED = re.compile(r"-(?:medlemmet|medlemslandet|landet)(?![^\W_])")
# so is the singular with an adjective, which takes the indefinite form ("Dronningen roste
# det lille Nato-land uden hær")
_DESCRIBED_BEFORE = re.compile(r"(?<![^\W_])det\s+[^\W\d_]+e\s+$")
_MEMBER_INDEFINITE = re.compile(r"-(?:medlem|medlemsland|land)(?![^\W_])")


# An office claimed by a fraud ("Falsk Nato-general på datingside lokkede 600.000 kroner ud
# af enke"): the scam is the story, as a person's former office describes him.
_FAKE = re.compile(r"(?<![^\W_])(?:falsk|falske|påstået|påståede|fup)\s*-?$")


def _in_background_clause(h: Hit, field_text: str) -> bool:
    before = field_text[max(0, h.start - 80) : h.start]
    former = _has_any(before, _FORMER_WORDS)
    if (
        _has_any(before, _FAKE_WORDS)
        and _FAKE.search(before)
        and _OFFICE_AFTER.match(field_text, h.end, h.end + 20)
    ):
        return True
    if (
        _MEMBER_OF.search(before)
        or (former and _FORMER_OFFICE.search(before))
        or (_has_any(before, _PAST_POST_WORDS) and _PAST_POST.search(before))
        or _HOSTED.search(before)
        or names_former_holder(h, field_text)
    ):
        return True
    if (
        _has_any(before, _OLD_WORDS)
        and _OLD.search(before)
        and _FACILITY_AFTER.match(field_text, h.end, h.end + 20)
    ):
        return True
    if _MEMBER_STATED_OF.search(before) or _MEMBER_SINCE_OF.search(before):
        return True
    if (
        _MEMBER_STATED_BEFORE.search(before) or _MEMBER_SINCE_BEFORE.search(before)
    ) and _MEMBER_AFTER.match(field_text, h.end, h.end + 16):
        return True
    if _MEMBER_DESCRIBED.match(field_text, h.end, h.end + 16):
        return True
    if _DESCRIBED_BEFORE.search(before) and _MEMBER_INDEFINITE.match(field_text, h.end):
        return True
    if _CLAUSE_BEFORE.search(before):
        return bool(_MEMBER_AFTER.match(field_text, h.end, h.end + 16))
    return (
        former
        and bool(_FORMER_BEFORE.search(before))
        and bool(_OFFICE_AFTER.match(field_text, h.end, h.end + 20))
    )


# A simile names the topic as a picture of something else ("Beboere på Nørrebro: 'Det er som
# at bo i Kabul'", "»Det ligner Kabul herude«" about road works). (A comparison with "end" is
# no such rule: "værre end corona" measures by the topic, but "Intet er vigtigere end
# Nato-medlemskab" is about it.)
# A likeness stated with "er som et/en" is one too ("Et klimamål uden finansiering er som et
# Nato-løfte uden forsvarsbudget"), and so is the name itself after "a new", "another" or a
# region's adjective ("Ukraine bliver ikke et nyt Afghanistan", "endnu et Afghanistan", "et
# arabisk Nato"): a country or the alliance is one of a kind, so "a new" one is a picture or
# an imitation of it ("et nyt Nato-hovedkvarter", a compound, is a thing of the alliance, and
# "en ny coronabølge" one of the disease: both stay).
_SIMILE = re.compile(
    r"(?<![^\W_])(?:som at \w+ i|ligner|er som (?:et|en)"
    # behaviour likened to it ("Ngo'erne på øerne opfører sig som Taleban")
    r"|opfører sig som|opførte sig som|ligesom)\s+$"
)
# and "er som" before the name itself ("»Vi er som Nato – angriber man én, angriber man os
# alle«", a coach on his team's defence); "er som Nato-medlem" (as a member) is a compound
_LIKE_THE_NAME = re.compile(r"(?<![^\W_])er\s+som\s+$")
_ANOTHER = re.compile(
    r"(?<![^\W_])(?:(?:et|en)\s+['\"»«]?(?:nyt|ny|andet|anden|[^\W\d_]+isk)|endnu\s+(?:et|en)"
    # somebody's new one ("Mali bliver ikke vores nye Afghanistan")
    r"|(?:vores|vort|deres|sit|sin|hans|hendes|dets|dens)\s+(?:nye|næste)"
    r"|a\s+new|another)\s+$"
    # somebody's own one ("Mali er ved at blive Frankrigs Afghanistan", "Ukraine kan blive
    # Putins Afghanistan"): a country becoming another's is the picture of a lost war
    r"|(?<![^\W_])(?:blive|bliver|blevet|blev)\s+[^\W\d_]{3,}s\s+$"
)
# or a region's own ("et Mellemøstens Nato", "Asiens Nato"): an alliance of its kind elsewhere
_PLACES_OWN = re.compile(r"(?<![^\W_])([^\W\d_]{3,})s\s+$")
_COMPOUND_AFTER = re.compile(r"[\w-]")
# A compound of likeness ("Taleban-lignende tilstande", "en coronalignende indsats", "en
# Nato-lignende aftale") compares something else with the topic: a simile in one word.
_LIKENESS = "lignende"
_LIKENESS_AFTER = re.compile(r"-?lignende(?![^\W_])")


# The Taliban as the tail of a compound is Danish slang for zealots ("sundheds-taliban",
# "kost-talibanerne"): a figure of speech, not the movement. (As the head it is the movement:
# "Taliban-styret", "Taliban-lederen".)
_SLANG_HEAD = re.compile(r"[^\W\d_]{2,}-$")
# So is the word as a common noun with an adjective in the neuter ("Debat: Det grønne taleban
# vil også bestemme, hvad jeg lægger på grillen"): the movement's name takes no article, except
# after its country's adjective or a time's ("det afghanske Taleban", "det nye Taleban").
_SLANG_ARTICLE = re.compile(
    r"(?<![^\W_])det\s+(?!(?:nye|gamle|samme|hele)\s)[^\W\d_]+(?<!ske)e\s+$"
)
_SLANG_WORDS = ("taliban", "taleban")
# and after a genitive of a common noun ("Debattør kalder kønsforskerne for 'ligestillingens
# taleban'", "sundhedsvæsenets taliban"): zealots of that field. The movement's own genitives
# are names ("Afghanistans Taleban") and end otherwise.
# A place's genitive ("landets Taleban", "provinsens Taleban") is the movement there.
_SLANG_GENITIVE = re.compile(
    r"(?<![^\W_])(?!(?:landets|nabolandets|regionens|provinsens|byens|områdets|egnens)\s)"
    r"[^\W\d_]{3,}(?:ens|ets|nes)\s+['\"»«‘]?$"
)


# "afghaner" as a mass noun is the old slang for hashish ("fanget med afghaner i
# bagagerummet", "Røg afghaner i tårnet", "50 gram afghaner"): after a verb of smoking or
# dealing, a measure or a quantity. The people take an article or the plural ("en afghaner",
# "afghanerne"); "gift med afghaner" is a person, so "med" alone is no such word.
_HASH_BEFORE = re.compile(
    r"(?<![^\W_])(?:røg|ryger|ryge|røget|solgte|sælger|sælge|købte|købe|gram|kilo|lidt|noget"
    r"|fanget\s+med|anholdt\s+med|taget\s+med|af\s+typen)\s+$"
)


def _slang(h: Hit, field_text: str) -> bool:
    if h.surface == "afghaner":
        return _HASH_BEFORE.search(field_text, max(0, h.start - 20), h.start) is not None
    return h.surface.startswith(_SLANG_WORDS) and (
        _SLANG_HEAD.search(field_text, 0, h.start) is not None
        or (
            (
                _SLANG_ARTICLE.search(field_text, max(0, h.start - 40), h.start) is not None
                or (
                    h.word in _SLANG_WORDS  # the bare word, no compound
                    and _SLANG_GENITIVE.search(field_text, max(0, h.start - 40), h.start)
                    is not None
                )
            )
            and _COMPOUND_AFTER.match(field_text, h.end) is None
        )
    )


def _places_own(h: Hit, field_text: str) -> bool:
    """Whether the alliance's name follows a region's genitive ("Mellemøstens Nato")."""
    m = _PLACES_OWN.search(field_text, max(0, h.start - 30), h.start)
    return h.surface == "nato" and m is not None and m.group(1) in REGIONS


def is_passing(h: Hit, field_text: str, word: str | None) -> bool:
    """Whether hit `h` names no subject: a background clause, a named period or an event that
    only dates the story or measures another's figure, a simile (also in one word:
    "Taleban-lignende"), one of several countries listed in the body or a border that places
    another country's news, a slang compound."""
    return (
        _slang(h, field_text)
        or h.surface.endswith(_LIKENESS)
        or _LIKENESS_AFTER.match(field_text, h.end) is not None
        or _in_background_clause(h, field_text)
        or _only_dates(h, word)
        or _EVENT_DATING.search(field_text, max(0, h.start - 60), h.start) is not None
        or (
            (
                PERIOD.match(h.word) is not None
                or h.surface in COUNTRIES
                or _EVENT_AFTER_RECORD.match(h.surface.replace("-", "")) is not None
            )
            and (
                _RECORD_SINCE.search(field_text, max(0, h.start - 70), h.start) is not None
                or _COMPARED_WITH.search(field_text, max(0, h.start - 20), h.start) is not None
            )
        )
        or (
            h.field != "title"
            and h.surface in COUNTRIES
            and _NEAR_BORDER.search(field_text, max(0, h.start - 40), h.start) is not None
        )
        or _SIMILE.search(field_text, max(0, h.start - 40), h.start) is not None
        or (
            _LIKE_THE_NAME.search(field_text, max(0, h.start - 12), h.start) is not None
            and _COMPOUND_AFTER.match(field_text, h.end) is None
        )
        or (
            h.word in COUNTRIES
            and _COMPOUND_AFTER.match(field_text, h.end) is None
            and (
                _ANOTHER.search(field_text, max(0, h.start - 20), h.start) is not None
                or _places_own(h, field_text)
            )
        )
        or (h.field != "title" and among_places(h, field_text))
    )
