"""Places as the rubric's lists read them: the countries and unions that share headlines with
the topics, and a body's list of countries or regions, where a topic's place is one origin or
destination of many (`classifiers.passing`).
"""

from __future__ import annotations

import re

from classifiers.terms import Hit

__all__ = ["COUNTRIES", "OTHER_PLACES", "REGIONS", "among_places", "paired_place"]

# Up to two other places listed straight before a place ("udsendt til Irak og Afghanistan",
# "grænser op til Kina og Afghanistan"): a regex fragment for the rules that read one place of
# a short list as they would read it alone (`classifiers.persons`, `classifiers.passing`).
OTHER_PLACES = r"(?:[^\W\d_]+(?:,\s+|\s+og\s+)){0,2}"

# Countries and unions that share headlines with the topics ("Danmark og Nato uenige om …"),
# the topics' own names among them ("Nato og Afghanistan: …" pairs two subjects): names
# however they are written, so a headline starting with one needs no body to show its
# capital. Danish forms, normalised.
COUNTRIES = frozenset(
    """
    danmark sverige norge finland island grønland færøerne tyskland frankrig england
    storbritannien holland belgien polen rusland ukraine hviderusland estland letland litauen
    tyrkiet grækenland italien spanien portugal ungarn rumænien bulgarien østrig schweiz
    tjekkiet slovakiet georgien moldova serbien kina japan indien pakistan iran irak syrien
    israel canada europa amerika afghanistan usa eritrea somalia sudan etiopien libyen
    jemen yemen mali marokko egypten libanon kosovo bosnien vietnam
    bangladesh myanmar thailand indonesien filippinerne malaysia nordkorea sydkorea mongoliet
    kasakhstan usbekistan tadsjikistan turkmenistan kirgisistan aserbajdsjan armenien
    nigeria niger tchad kenya uganda tanzania rwanda congo sydafrika ghana tunesien algeriet
    qatar kuwait oman emiraterne haiti cuba mexico brasilien argentina colombia venezuela
    peru honduras guatemala nicaragua australien irland skotland kroatien albanien cypern
    eu fn nato
    """.split()
)


# A body hit among countries listed ("Især kvinder fra Syrien, Eritrea og Afghanistan har fået
# job", "… lande som Somalia, Bangladesh, Afghanistan og Honduras", "fra Irak, Afghanistan,
# Somalia, Eritrea og Iran"): one origin or destination of many, the rubric's list of many
# things. A list is read as a list wherever the hit stands in it: three or more entries joined
# by commas and a closing "og"/"eller", every other entry a country or a region. (The
# headline's lists are `classifiers.headline`'s, which sees capitals.)
_LIST_BEFORE = re.compile(r"(?<![\w-])(?:[^\W\d_]+,\s+)*[^\W\d_]+(?:,\s+|,?\s+(?:og|eller)\s+)$")
_LIST_AFTER = re.compile(r"(?:,\s+[^\W\d_]+)*,?\s+(?:og|eller)\s+[^\W\d_]+")
_LIST_ENTRY = re.compile(r"[^\W\d_]+")
_LIST_CLOSED = re.compile(r"\s(?:og|eller)\s+$")
# The list's last entry may be of another kind when two places come before the hit
# ("Veteraner fra Balkan, Irak, Afghanistan og de seneste missioner i Baltikum"): three
# entries or more all the same.
_CLOSES_AFTER = re.compile(r",?\s+(?:og|eller)\s")
# Regions are listed beside countries as their equals ("missioner på Balkan, i Irak og
# Afghanistan", "fra Mellemøsten, Afrika og Afghanistan").
REGIONS = frozenset(
    """
    balkan baltikum mellemøsten afrika asien sahel kaukasus arktis nordafrika vestafrika
    østafrika latinamerika sydamerika mellemamerika centralasien sydøstasien golfen
    """.split()
)


def _entries(m: re.Match[str] | None) -> list[str]:
    return [w for w in _LIST_ENTRY.findall(m.group()) if w not in ("og", "eller")] if m else []


def _place(word: str) -> bool:
    return word in COUNTRIES or word in REGIONS


# A country paired with another in a body ("veteraner fra Irak og Afghanistan", "flygtninge
# fra Syrien og Afghanistan", "Afghanistan og Pakistan") is one of two places the story passes
# through, when the story names the country only there: of the trap file's 420 stories whose
# one body mention of Afghanistan is so paired, none is labelled with it. So is a union paired
# with anything ("støtte fra EU og Nato", "forsvaret og Nato"): of the 285 stories naming the
# alliance once, in the body, in such a pair, 2 are labelled NATO.
_UNIONS = frozenset({"eu", "fn", "nato"})
_PAIR_BEFORE = re.compile(r"(?<![\w-])([^\W\d_]+)\s+(?:og|eller)\s+$")
_PAIR_AFTER = re.compile(r"\s+(?:og|eller)\s+([^\W\d_]+)(?![\w-])")


def paired_place(h: Hit, text: str) -> bool:
    """Whether body hit `h`, a country, is paired with another country by "og" or "eller",
    or a union (the alliance) with anything."""
    if h.word not in COUNTRIES:
        return False
    union = h.word in _UNIONS
    before = _PAIR_BEFORE.search(text, max(0, h.start - 30), h.start)
    after = _PAIR_AFTER.match(text, h.end)
    return any(
        m is not None and (union or (m.group(1) in COUNTRIES and m.group(1) not in _UNIONS))
        for m in (before, after)
    )


def among_places(h: Hit, text: str) -> bool:
    """Whether body hit `h` is one entry of a list of countries or regions."""
    before = _LIST_BEFORE.search(text, max(0, h.start - 80), h.start)
    closed_before = before is not None and _LIST_CLOSED.search(before.group()) is not None
    after = None if closed_before else _LIST_AFTER.match(text, h.end, h.end + 80)
    listed_before = _entries(before)
    entries = [*listed_before, *_entries(after)]
    if (closed_before or after is not None) and len(entries) >= 2 and all(map(_place, entries)):
        return True
    return (
        not closed_before
        and len(listed_before) >= 2
        and all(map(_place, listed_before))
        and _CLOSES_AFTER.match(text, h.end) is not None
    )
