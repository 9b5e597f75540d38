"""Headline words set apart from its subject: a meeting somebody travels to, a short quote.

Both make a headline hit a single mention (`classifiers.headline.single_in_headline`): the
topic's word is there, but the headline tells of a trip or names a thing by a quoted word.
"""

from __future__ import annotations

import re

from classifiers.terms import Hit

__all__ = ["in_short_quote", "travelled_to_meeting"]

# A meeting a person travels to or from is where the story's person is, not its subject
# ("Ministerbil fanget i fartfælde på vej til Nato-møde", "Løkke vil forhandle finanslov, når
# han er hjemme fra Nato-topmøde", "Forsvarsministeren direkte fra Nato-møde til
# Champs-Élysées"): all 6 such trap and blind headlines are no topic. Live coverage "direkte
# fra" a summit, and leaders travelling "videre til" it, report on it and stay; so does a
# place travelled to ("Danske soldater på vej til Afghanistan").
_TRAVELLING = re.compile(
    r"(?<![^\W_])(?:på\s+vej\s+(?:hjem\s+)?(?:til|fra)|hjemme?\s+fra|tilbage\s+fra"
    r"|hjemvendt\s+fra)\s+(?:[^\W\d_]+\s+){0,2}?$"
)
_FROM_TO = re.compile(r"(?<![^\W_])direkte\s+fra\s+$")
_TO_AFTER = re.compile(r"[\w-]*\s+til\s")
# Only a meeting: "Danske soldater på vej til Afghanistan" names the war's own news.
_MEETING = re.compile(r"(?:-|s?\s+|s)(?:top)?møde")


def travelled_to_meeting(h: Hit, title: str) -> bool:
    """Whether headline hit `h` names a meeting somebody travels to or from."""
    if _MEETING.match(title, h.end) is None and "møde" not in h.surface:
        return False
    before = max(0, h.start - 40)
    return _TRAVELLING.search(title, before, h.start) is not None or (
        _FROM_TO.search(title, before, h.start) is not None
        and _TO_AFTER.match(title, h.end) is not None
    )


# A short quote (three words or fewer) names a thing, a slogan or a word by the topic's word
# ("Aktivister dømt for at male 'Nej til Nato'", "Internaterne er fyldt med 'coronahunde'",
# "Tæppehandler: De fleste 'afghanske' tæpper er vævet i Pakistan"): quoted, the words are the
# story's object, not the topic as its subject. Of the trap file's such headlines 387 are
# labelled no topic and 27 with it, so the hit is a single mention for the context model,
# which keeps all but 2 or 3 of those 27 ("'Nato-fly skudt ned'" over a war story).
_SHORT_QUOTE = re.compile(r"(?<![\w])['\"»«‘“]([^'\"»«’”]{1,40})['\"»«’”]")
# Not what somebody said or shouted, after a colon or a verb of saying ("Mand dømt for at hoste
# ad betjente: 'Jeg har corona'", "Trump til Danmark: »Betal jeres Nato-regning«", "råbte
# 'corona'"), nor a word banned ("forbyder ordet »coronavirus«"): the topic's own news.
_SPEECH_BEFORE = re.compile(
    r"(?::|(?<![^\W_])(?:råbe|råber|råbte|sagde|siger|skrev|skriver|ordet|ordene))\s*$"
)


def _short_quotes(title: str) -> list[tuple[int, int, bool]]:
    """(start, end, said) of each quote of three words or fewer in a headline: its words'
    span, and whether somebody said it (after a colon or a verb of saying)."""
    if not any(q in title for q in "'\"»«‘“"):
        return []
    return [
        (m.start(1), m.end(1), _SPEECH_BEFORE.search(title, 0, m.start()) is not None)
        for m in _SHORT_QUOTE.finditer(title)
        if len(m.group(1).split()) <= 3
    ]


def in_short_quote(h: Hit, title: str, *, said_too: bool = False) -> bool:
    """Whether headline hit `h` stands in a quote of three words or fewer that nobody said
    (or, with `said_too`, any such quote)."""
    return any(
        a <= h.start and h.start + len(h.word) <= b and (said_too or not said)
        for a, b, said in _short_quotes(title)  # "nato'" takes its quote: `h.word`
    )
