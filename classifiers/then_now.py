""" "Then – now" headlines: the part before "– nu" is the past of the story's subject.

"Han var udsendt til Afghanistan – nu er han favorit i »Vild med dans«": the topic in the
past part describes the person (or the firm, or the period before the story), so it is a
single mention and the context model decides (`classifiers.headline`).
"""

from __future__ import annotations

import re

from classifiers.passing import PERIOD
from classifiers.terms import Hit

__all__ = ["NOW", "dated_in_past_part", "in_past_part"]

# A portrait's "then – now" headline ("Han var udsendt til Afghanistan – nu er han favorit
# i »Vild med dans«", "Hun flygtede fra Kabul som barn – nu skal hun til OL"): the part
# before "– nu" is the person's past, the part after it the story. A hit in the past part is
# a single mention, so the context model decides (a deportation story told the same way
# still reads as the topic's). Only headlines about a person (a pronoun first) qualify:
# "Taliban tog magten – nu flygter tusinder" reports on the topic.
# The past part may hold hyphenated words ("Han sad i Natos hovedkvarter under Kosovo-krigen –
# nu bliver han rektor"), and "i dag" marks the present as "nu" does.
NOW = r"(?:nu|i dag|i går)(?![^\W_])"
# The past part up to and including its "– nu"
_UNTIL_NOW = rf"(?:[^-]|(?<=\w)-(?=\w))*?\s-\s+{NOW}"
# A firm's portrait is told the same way ("Firmaet startede med minerydning i Afghanistan – nu
# køber det tysk konkurrent").
# The person may tell it in a quote ("»Jeg voksede op i Kabul – nu bor jeg på ni kvadratmeter
# i Aalborg«").
_THEN_NOW = re.compile(
    r"^['\"»«“‘]?(?:han|hun|jeg|firmaet|virksomheden|selskabet|koncernen|butikken|restauranten)"
    r"\s" + _UNTIL_NOW
)

# Any "then – now" headline whose past part names the pandemic as a period ("Coronaårene gav
# boom i jagtvåben – nu falder salget", "Bryggeriet overlevede corona – nu lukker det",
# "Vestas-chef: Corona er glemt – nu er det renterne, der truer"): the period dates what
# came before the story. Not the illness someone caught ("Komiker fik covid og må aflyse –
# nu kommer de nye datoer"). Of the trap file's 22 such headlines 17 are labelled no topic;
# the 5 labelled COVID-19 name a test, the illness, or effects after "under".
_THEN_NOW_ANY = re.compile("^" + _UNTIL_NOW)
_CAUGHT = re.compile(r"(?<![^\W_])(?:fik|smittet\s+med|syg\s+af|syg\s+med|ramt\s+af)\s+$")


def _period_in_past_part(h: Hit, title: str) -> bool:
    if not PERIOD.match(h.surface.removesuffix("s")):
        return False
    m = _THEN_NOW_ANY.match(title)
    return (
        m is not None
        and h.end <= m.end()
        and _CAUGHT.search(title, max(0, h.start - 20), h.start) is None
    )


# A period somebody got through or survived is the past of the story told now, "– nu" or not
# ("Plejehjemmet, der kom helskindet gennem corona, lukker nu af mangel på personale", "»Vi
# overlevede corona, men ikke elpriserne«", "Vi kom igennem corona sammen, nu skal vi igennem
# energikrisen"). Past forms only: "… for at komme gennem coronakrisen" is the crisis now. A
# single mention: "Sådan kom Danmark gennem corona" still reads as covid.
_GOT_THROUGH = re.compile(
    r"(?<![^\W_])(?:kom|kommet|klarede\s+sig|overlevede|overlevet)"
    r"\s+(?:[^\W\d_]+\s+)?(?:igennem|gennem)\s+$"
    r"|(?<![^\W_])(?:overlevede|overlevet)\s+$"
)


# The same told by a relative clause between commas, the present by "nu" after the main verb
# ("Fotograf, der dækkede krigen i Afghanistan, udstiller nu fuglebilleder fra Vadehavet",
# "Klubben, der overlevede corona, går nu konkurs"): the clause is the subject's past. Of the
# trap file's and blind rounds' 21 such headlines with the topic in the clause, 20 are
# labelled no topic (the other tells refugees' own news, "Kvinder, der flygtede fra Kabul …,
# kan nu søge familiesammenføring", which stays a single mention for the context model); the
# shared corpora have none.
_CLAUSE_THEN_NOW = re.compile(rf"^[^,:]+,\s+(?:der|som)\s+[^,]*,\s+[^\W\d_]+\s+{NOW}")


def in_past_part(h: Hit, title: str) -> bool:
    """Whether headline hit `h` is in the past part of a "then – now" headline: a person's
    or a firm's portrait, or a period before the story (also one got through)."""
    m = _THEN_NOW.match(title)
    clause = _CLAUSE_THEN_NOW.match(title)
    return (
        (m is not None and h.end <= m.end())
        or (clause is not None and title.index(",") < h.start < title.rindex(",", 0, clause.end()))
        or _period_in_past_part(h, title)
        or (
            PERIOD.match(h.surface) is not None
            and _GOT_THROUGH.search(title, max(0, h.start - 40), h.start) is not None
        )
    )


# A person's past in a portrait's "then – now" headline dated by the topic's war ("Han blev
# general under krigen i Afghanistan – nu går forsvarschefen på pension"): the war is only
# when the past happened, and the past part is not the story, so the hit names no subject.
# The war that is the past itself ("Han var udsendt til Afghanistan – nu …") stays a single
# mention (`in_past_part`), for the context model to decide.
_WAR_DATED = re.compile(
    r"(?<![^\W_])(?:under|efter|før)\s+(?:den\s+|det\s+)?[^\W\d_]*(?:krigen|missionen"
    r"|indsatsen)\s+(?:i|fra|mod)\s+$"
)


def dated_in_past_part(h: Hit, title: str) -> bool:
    """Whether headline hit `h` only dates the past of a person's or a firm's portrait."""
    m = _THEN_NOW.match(title)
    return (
        m is not None
        and h.end <= m.end()
        and _WAR_DATED.search(title, max(0, h.start - 40), h.start) is not None
    )
