"""Proper names written with a topic's word: a horse, a firm, a person or a place.

A capitalised word says more than the normalised text keeps: "Kabul Express" in a story of
horse racing is a horse, "Nato Trading ApS" a firm, "Mexicaneren Corona" and "Mateo Corona"
people, "Restaurant Kabul" a restaurant. Each reading looks at the raw text first (most
articles write none of these), then at the fields normalised without lower-casing
(`classifiers.text.normalize_cased`), at the positions of the hits. The older readings of one
word (a business before "Kabul", "Corona" as a name, a Georgian "Nato") are
`classifiers.names`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from classifiers.names import CAPITAL_AFTER, title_case
from classifiers.terms import Hit

__all__ = ["proper_names"]


# Racehorses are named after places, the alliance and the disease ("Kabul Express sikrede
# jackpot i V75 på Jägersro", "Trav: Nato Bell slår favoritterne på Charlottenlund", "Afghan
# Prince vandt Grand Prix på Jydsk Væddeløbsbane"): in a story of horse racing, the topic's
# word before a capitalised word is the first half of a horse's name. Of the trap file's 211
# stories of racing that name a topic's word, the 4 labelled with the topic write no such pair
# ("Dansk Derby afvikles uden publikum på grund af corona"). Only in such a story: the
# alliance's own forces are written so too ("Nato Response Force"). The shared corpora have 8
# stories of racing, none with a pair.
_RACING = re.compile(
    r"(?<![^\W_])(?:v75|v64|v65|v86|v5|v4|trav|galop|jockey\w*|kusk|kusken|hingst\w*|hoppen"
    r"|vallak\w*|jägersro|solvalla|dansk\s+derby|trav\s+derby|derbyet\s+på"
    # the compounds of racing ("travhesten", "galopbanen"); not "travlt" or "galopperende"
    r"|(?:trav|galop|væddeløbs)(?:hest|bane|løb|sport|træner|stald|selskab)\w*)(?![^\W_])",
    re.IGNORECASE,
)
_HORSE_WORDS = frozenset({"nato", "kabul", "afghan", "corona", "covid", "taleban", "helmand"})


# A capitalised topic's word before another capitalised word: looked for first, as it is rare
# and cheap to find, before the story is read for racing (a rough test, with no word boundary,
# which costs a fifth of one: `is_horse_name` reads the hit itself).
_NAME_PAIR = re.compile(
    r"(?:Nato|NATO|Kabul|Corona|Covid|Afghan|Taleban|Helmand)\s+[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéè]"
)


def races_horses(title: str, text: str) -> bool:
    """Whether a story (its raw headline and body) writes a name pair of the topic's words and
    tells of horse racing."""
    return (_NAME_PAIR.search(title) is not None or _NAME_PAIR.search(text) is not None) and (
        _RACING.search(title) is not None or _RACING.search(text) is not None
    )


def is_horse_name(h: Hit, cased_field: str) -> bool:
    """Whether hit `h`, in a story of horse racing, opens a name of two capitalised words."""
    return (
        h.word in _HORSE_WORDS
        and cased_field[h.start : h.start + 1].isupper()
        and CAPITAL_AFTER.match(cased_field, h.end) is not None
    )


# A person, an animal or a thing introduced by a noun or a nationality just before the name
# ("Mexicaneren Corona sendte Porto videre", "Italieneren Corona chokerer i Challenger-
# turneringen", "Georgiske Nato åbner khachapuri-bageri i Odense", "Robotstøvsugeren Corona X
# får dumpekarakter"): a definite noun in -eren/-erinden or an adjective of nationality in
# -ske before the capitalised word makes it a name in apposition. The disease, the alliance
# and the city are never introduced so; beside such words they are written in a compound
# ("danske Nato-soldater", "britiske coronapatienter"), which the hit's own word shows.
_APPOSITION = r"(?<![^\W_])[^\W\d_]+(?:eren|erinden|ske)\s+['\"»]?"
# The words written as names here (in apposition, or after a capitalised word below): the
# hit's word and how a name writes it.
_WRITTEN_AS_NAME = {"corona": "Corona", "nato": "Nato", "kabul": "Kabul"}
_APPOSED_NAME = re.compile("(?:" + "|".join(_WRITTEN_AS_NAME.values()) + r")(?![^\W_]|-)")
_APPOSITION_BEFORE = re.compile(_APPOSITION + "$")


def names_in_apposition(text: str) -> bool:
    """Whether raw `text` writes a capitalised name in apposition anywhere: a cheap test before
    the cased reading (the capitalised word first, then the words before it)."""
    if not any(name in text for name in _WRITTEN_AS_NAME.values()):
        return False  # most texts: three substring tests are cheaper than one regex pass
    return any(
        _APPOSITION_BEFORE.search(text, max(0, m.start() - 40), m.start()) is not None
        for m in _APPOSED_NAME.finditer(text)
    )


def is_named_in_apposition(h: Hit, cased_field: str) -> bool:
    """Whether hit `h` is a capitalised name after a noun or a nationality in apposition."""
    return (
        h.surface in _WRITTEN_AS_NAME
        and cased_field[h.start : h.start + 1].isupper()
        and _APPOSITION_BEFORE.search(cased_field, max(0, h.start - 40), h.start) is not None
    )


# A company's name before its legal form ("Nato Trading ApS erklæret konkurs", "Kabul Import
# ApS dømt", "Corona Pumper A/S vinder kontrakt", "Omikron Energi ApS går konkurs"): the
# topic's word opens the name of a firm. The 15 such items of the trap file are all labelled
# no topic. The words between are capitalised, so a sentence that only ends on a firm ("Nato
# køber fra Terma A/S") is not one.
_COMPANY = re.compile(
    r"(?<![^\W_])(?:Nato|NATO|Corona|Covid|COVID|Omikron|Omicron|Kabul|Afghan|Taleban|Taliban"
    r"|Helmand)"
    r"((?:\s+[A-ZÆØÅ&][\w&-]*){0,3})\s+(?:ApS|A/S|I/S|IVS|K/S|P/S|GmbH|Ltd|Inc|LLC)(?![^\W_])"
)


_LEGAL_FORMS = re.compile(r"ApS|A/S|I/S|IVS|K/S|P/S|GmbH|Ltd|Inc|LLC")


def names_a_company(cased_field: str) -> set[int]:
    """Start positions of the topic's words that open a company's name in `cased_field` (a
    field normalised without lower-casing, or a raw one); most texts name no legal form, so
    that is looked for first."""
    if _LEGAL_FORMS.search(cased_field) is None:
        return set()
    return {m.start() for m in _COMPANY.finditer(cased_field)}


# In a headline, "Corona", "Nato" or "Kabul" after another capitalised word ("Mateo Corona fra
# Aarhus er ny danmarksmester i latte art", "Advokat Marco Corona: …", "Kurator Nato Thompson
# skal lede Liverpool Biennalen", "Restaurant Kabul i Odense lukker") is a name: a given name,
# a business's kind, a title before it. Only where the body names the topic no other way, or
# there is no body. A word that opens a headline as a preposition, a conjunction or a
# question's verb ("Fra Kabul til Kyiv: …", "Kan Nato forsvare Grønland …?") is no name's
# part, nor a section label scraped before a headline ("Danmark Corona kan ikke længere
# medføre påbudt isolation", "Internationalt Nato vil sikre infrastruktur under vand": the
# shared corpora's 6 headlines read as names this way all open with one). The trap file's
# 197 such headlines over a body that names the topic no other way are all labelled without
# it, and 345 of the 346 bodiless ones (the other: "Udland Nato: …", a section label).
_CAPITALISED_WORD_BEFORE = re.compile(
    r"(?<![^\W_])(?!(?:Fra|Med|Uden|Mod|I|Til|For|Efter|Før|Om|Under|Over|Trods|Ifølge|Når"
    r"|Hvis|Men|Mens|Og|Nu|Da|Derfor|Hvorfor|Hvad|Hvem|Sådan|Også|Kun|Ja|Nej"
    # the sections of a news site
    r"|Danmark|Indland|Udland|Internationalt|Politik|Samfund|Videnskab|Viden|Abonnement"
    r"|Sundhed|Kultur|Erhverv|Penge|Sport|Debat|Nyheder|Verden|Europa"
    # and a verb opening a question ("Kan Nato forsvare Grønland mod en allieret?")
    r"|Kan|Skal|Vil|Bør|Må|Er|Har|Bliver|Får)\s)"
    r"[A-ZÆØÅÁÉÍÓÚ][\w'-]*\s+$"
)
_WORD_GOES_ON = re.compile(r"[\w-]")
# Any verb may open a question, in the past too ("Lovede Nato Rusland aldrig at udvide mod
# øst?", "Svigtede Nato Ukraine?"): a capitalised word opening a headline, or its part after
# a colon, before the topic's word and a question mark is the question's verb, not a name's
# part. A name opening a question is rare: of the trap file's and the blind rounds' headlines
# read as names this way, none opens a question; the one that did was a fact check of the
# alliance.
_OPENS_CLAUSE = re.compile(r"(?:^|[:–]\s*)$")


def is_name_after_capital(h: Hit, cased_title: str) -> bool:
    """Whether headline hit `h` is "Corona", "Nato" or "Kabul" written after another capitalised
    word (the caller has checked that the body names the topic no other way)."""
    written = _WRITTEN_AS_NAME.get(h.surface)
    if (
        written is None
        or h.field != "title"
        or cased_title[h.start : h.end] != written
        or _WORD_GOES_ON.match(cased_title, h.end) is not None  # not "Nato-øvelse"
    ):
        return False
    before = _CAPITALISED_WORD_BEFORE.search(cased_title, max(0, h.start - 40), h.start)
    if before is None:
        return False
    asks = "?" in cased_title[h.end :] and _OPENS_CLAUSE.search(cased_title, 0, before.start())
    return not asks


def proper_names(
    hits: Sequence[Hit], raw_title: str, raw_text: str, cased: Callable[[], Mapping[str, str]]
) -> set[tuple[str, int]]:
    """(field, start) of the hits that are part of a proper name: a horse, a firm, a name in
    apposition, a name after a capitalised word over a body silent on the topic. `cased`
    gives the fields normalised without lower-casing (computed once, when first needed)."""
    names: set[tuple[str, int]] = set()
    if races_horses(raw_title, raw_text):
        names |= {(h.field, h.start) for h in hits if is_horse_name(h, cased()[h.field])}
    if names_a_company(raw_title) or names_a_company(raw_text):
        firms = {field: names_a_company(c) for field, c in cased().items()}
        names |= {(h.field, h.start) for h in hits if h.start in firms.get(h.field, ())}
    # a body that names the topic no other way, or none, leaves a capitalised word after
    # another a name, unless the headline is in English title case ("Biden Tells Nato Allies")
    if (
        not any(h.field == "text" for h in hits)
        and any(h.surface in _WRITTEN_AS_NAME for h in hits)
        and (raw_text.strip() or not title_case(cased()["title"]))
    ):
        names |= {(h.field, h.start) for h in hits if is_name_after_capital(h, cased()["title"])}
    if names_in_apposition(raw_title) or names_in_apposition(raw_text):
        names |= {(h.field, h.start) for h in hits if is_named_in_apposition(h, cased()[h.field])}
    return names
