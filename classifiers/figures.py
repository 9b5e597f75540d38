"""Figures of speech: a topic's word as a picture of something else.

A simile ("Det er som at bo i Kabul"), a likeness in one word ("Taleban-lignende
tilstande"), a country or the alliance as one of a kind elsewhere ("et nyt Afghanistan",
"Mellemøstens Nato"), and slang ("sundheds-taliban", "Røg afghaner i tårnet"). Such a hit
names no subject of the story (`classifiers.passing.is_passing`).
"""

from __future__ import annotations

import re

from classifiers.places import COUNTRIES, REGIONS
from classifiers.terms import Hit

__all__ = ["AS_MUCH_AS", "is_figure_of_speech"]

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
# A degree compared with "som" ("lige så vigtig for landet som", "tre gange så meget som"),
# also read a few words before the topic in a headline (`classifiers.headline`).
AS_MUCH_AS = r"(?:lige|gange)\s+så\s+[^\W\d_]+(?:\s+[^\W\d_]+){0,3}?\s+som"
_SIMILE = re.compile(
    r"(?<![^\W_])(?:som at \w+ i|ligner|er som (?:et|en)"
    # behaviour likened to it ("Ngo'erne på øerne opfører sig som Taleban")
    # (also as one of its kind: "Brexit-hardlinerne opfører sig som en Taleban-fløj")
    r"|opfører sig som(?: en| et)?|opførte sig som(?: en| et)?|ligesom"
    # a measure likened to it ("Minister: MitID er lige så vigtig for landet som Nato"), or
    # measured by it ("tre gange så meget som Natos mål for medlemslandene")
    r"|"
    + AS_MUCH_AS
    +
    # or the same thing as it ("Vi skal bekæmpe banderne med samme hast som covid", "Ny vaccine
    # bygger på samme teknologi som coronavaccinerne", "samme hjælp som Afghanistan-veteraner"):
    # another subject given the topic's measure. In the trap file the 6 such headlines and 20
    # such bodies are all no topic; a comparison of places puts "i" before the name ("samme
    # fejl i Ukraine som i Afghanistan", the war's lessons, labelled Afghanistan) and is left.
    r"|samme(?:\s+[^\W\d_][\w-]*){1,3}?\s+som)\s+$"
)
# and "er som" before the name itself ("»Vi er som Nato – angriber man én, angriber man os
# alle«", a coach on his team's defence); "er som Nato-medlem" (as a member) is a compound
_LIKE_THE_NAME = re.compile(r"(?<![^\W_])er\s+som\s+$")
# and, in a headline, a country's situation as the picture ("Russiske soldatermødre: Vores
# sønner bliver kanonføde som i Afghanistan"); not after a comma, and not in a body, where
# "som" opens relative clauses ("tolkene, som i Afghanistan hjalp de danske soldater")
_LIKE_IN = re.compile(r"(?<![,\s])\s+som\s+i\s+$")
_ANOTHER = re.compile(
    r"(?<![^\W_])(?:(?:et|en)\s+['\"»«]?(?:nyt|ny|andet|anden|[^\W\d_]+isk)|endnu\s+(?:et|en)"
    # somebody's new one ("Mali bliver ikke vores nye Afghanistan")
    r"|(?:vores|vort|deres|sit|sin|hans|hendes|dets|dens)\s+(?:nye|næste)"
    r"|a\s+new|another)\s+$"
    # somebody's own one ("Mali er ved at blive Frankrigs Afghanistan", "Ukraine kan blive
    # Putins Afghanistan"): a country becoming another's is the picture of a lost war; a
    # two-word owner too ("Letbanen er blevet Odense Kommunes Afghanistan")
    r"|(?<![^\W_])(?:blive|bliver|blevet|blev)\s+(?:[^\W\d_]+\s+)?[^\W\d_]{3,}s\s+$"
)
# or another alliance as its counterpart ("Kritikere kalder organisationen et østligt
# modstykke til Nato", "Asiens pendant til Nato"): not "svar på Nato", which may be a reply to
# the alliance
_COUNTERPART = re.compile(r"(?<![^\W_])(?:modstykke|modstykket|pendant|pendanten)\s+(?:til|på)\s+$")
# or a region's own ("et Mellemøstens Nato", "Asiens Nato"): an alliance of its kind elsewhere
_PLACES_OWN = re.compile(r"(?<![^\W_])([^\W\d_]{3,})s\s+$")
_COMPOUND_AFTER = re.compile(r"[\w-]")
# A compound of likeness ("Taleban-lignende tilstande", "en coronalignende indsats", "en
# Nato-lignende aftale") compares something else with the topic: a simile in one word.
_LIKENESS = "lignende"
_LIKENESS_AFTER = re.compile(r"-?lignende(?![^\W_])")


# The disease as one of a kind ("Inflationen er den nye corona for de små butikker", "Mpox
# bliver ikke det nye corona", "Det er ikke en ny corona"): another crisis or disease likened
# to the pandemic. Only the bare names: "det nye coronavirus" was the virus itself in 2020,
# and "en ny coronabølge" is a wave of it.
_A_NEW_ONE = re.compile(r"(?<![^\W_])(?:en\s+ny|et\s+nyt|den\s+nye|det\s+nye)\s+['\"»«‘]?$")
_DISEASE_NAMES = frozenset({"corona", "covid", "covid-19"})


def _a_new_pandemic(h: Hit, field_text: str) -> bool:
    return (
        h.word in _DISEASE_NAMES
        and _COMPOUND_AFTER.match(field_text, h.end) is None
        and _A_NEW_ONE.search(field_text, max(0, h.start - 12), h.start) is not None
    )


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
# or the bare word after the indefinite article ("Sprogpolitiet er blevet et kulturelt
# Taleban", "et woke Taleban", "opfører sig som en moralsk taleban", "Kommune kaldte kritisk
# borger 'en lille taleban'", "Dommer om sektleder: 'en taleban i jakkesæt'"): never the
# movement's ("et Taleban-styre", "en taliban-guvernør" are compounds), nor its men ("en
# gruppe Taleban")
_SLANG_INDEFINITE = re.compile(
    r"(?<![^\W_])(?:et|en)\s+(?!(?:gruppe|række|styrke|enhed)\s)(?:[^\W\d_]+\s+)?['\"»«‘]?$"
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
    r"|fanget\s+med|anholdt\s+med|taget\s+med|af\s+typen"
    # its name ("en hashtype under navnet afghaner")
    r"|navnet)\s+['\"»«‘]?$"
    # and its strength with the word in quotes, a name ("advarer mod stærk »afghaner«",
    # "den stærke »afghaner« fra Christiania"; "den stærke afghaner" may be an athlete)
    r"|(?<![^\W_])(?:stærk|stærke)\s+['\"»«‘]$"
)


def _slang(h: Hit, field_text: str) -> bool:
    if h.surface == "afghaner":
        return _HASH_BEFORE.search(field_text, max(0, h.start - 20), h.start) is not None
    if not h.surface.startswith(_SLANG_WORDS):
        return False
    if _SLANG_HEAD.search(field_text, 0, h.start) is not None:
        return True
    # the rest are the word as a common noun, which no compound continues
    if _COMPOUND_AFTER.match(field_text, h.end) is not None:
        return False
    if _SLANG_ARTICLE.search(field_text, max(0, h.start - 40), h.start) is not None:
        return True
    return h.word in _SLANG_WORDS and (  # the bare word
        _SLANG_GENITIVE.search(field_text, max(0, h.start - 40), h.start) is not None
        or _SLANG_INDEFINITE.search(field_text, max(0, h.start - 30), h.start) is not None
    )


def _places_own(h: Hit, field_text: str) -> bool:
    """Whether the alliance's name follows a region's genitive ("Mellemøstens Nato")."""
    m = _PLACES_OWN.search(field_text, max(0, h.start - 30), h.start)
    return h.surface == "nato" and m is not None and m.group(1) in REGIONS


def _counterpart(h: Hit, field_text: str) -> bool:
    """Whether the alliance's name is another alliance's counterpart ("et østligt modstykke
    til Nato")."""
    return (
        h.surface == "nato"
        and _COUNTERPART.search(field_text, max(0, h.start - 20), h.start) is not None
    )


# The alliance's article 5 is one of a kind, so "an article 5" is a picture of it ("Dansk fodbold
# har brug for en artikel 5"), and an article 5 of an agreement, a convention, a law or a group
# is another document's ("Striden om artikel 5 i den bilaterale fiskeriaftale", "Artikel 5 i
# veninde-gruppen: Når én bliver dumpet, rykker alle ud"); the treaty is "traktaten" or
# "pagten", which stay.
_AN_ARTICLE = re.compile(r"(?<![^\W_])en\s+$")
_ANOTHER_DOCUMENTS = re.compile(
    r"\s+i\s+(?:den\s+|det\s+)?(?:[^\W\d_]+\s+)?[^\W\d_]*-?(?:aftale|aftalen|konvention"
    r"|konventionen|lov|loven|forordning|forordningen|direktiv|direktivet|gruppen)(?![^\W_])"
)


def _another_article_5(h: Hit, field_text: str) -> bool:
    return h.surface == "artikel 5" and (
        _AN_ARTICLE.search(field_text, max(0, h.start - 4), h.start) is not None
        or _ANOTHER_DOCUMENTS.match(field_text, h.end) is not None
    )


def is_figure_of_speech(h: Hit, field_text: str) -> bool:
    """Whether hit `h` is a picture of something else: a simile (also in one word,
    "Taleban-lignende"), the name as one of a kind ("et nyt Afghanistan"), slang."""
    return (
        _slang(h, field_text)
        or _another_article_5(h, field_text)
        or _a_new_pandemic(h, field_text)
        or h.surface.endswith(_LIKENESS)
        or _LIKENESS_AFTER.match(field_text, h.end) is not None
        or _SIMILE.search(field_text, max(0, h.start - 40), h.start) is not None
        or (
            (
                _LIKE_THE_NAME.search(field_text, max(0, h.start - 12), h.start) is not None
                or (
                    h.field == "title"
                    and _LIKE_IN.search(field_text, max(0, h.start - 12), h.start) is not None
                )
            )
            and _COMPOUND_AFTER.match(field_text, h.end) is None
        )
        or (
            h.word in COUNTRIES
            and _COMPOUND_AFTER.match(field_text, h.end) is None
            and (
                _ANOTHER.search(field_text, max(0, h.start - 40), h.start) is not None
                or _places_own(h, field_text)
                or _counterpart(h, field_text)
            )
        )
    )
