"""Which keyword hits of one document name something else, not the topic: a business, an
animal or a ship named after a place or the alliance, a brand in camel case or "CORONA" in
capitals, "Corona" written as a name, "Nato" or the variant opening a name in a headline
("Nato Star", "Omikron Travel"), the Georgian woman's name "Nato", NATO's letters spelled out
as another name, an Italian "nato" (born), the English "afghans" as a biscuit or a blanket,
and the family's word for a coronavirus before covid-19 existed.

Such a hit names no topic at all (unlike a passing mention, `classifiers.passing`), so
`classifiers.evidence` counts it as background. The per-hit readings are in
`classifiers.names` and `classifiers.proper_names`; this module decides, for the whole
document, which hits they apply to, and lets the body settle what a headline's word is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from classifiers.asides import in_short_quote
from classifiers.base import Document
from classifiers.keywords import DocHits
from classifiers.language import identify
from classifiers.names import (
    bar_beside,
    is_georgian_name,
    is_italian_born,
    is_name,
    is_name_before_capital,
    names_a_georgian,
    names_a_thing,
    opens_a_name,
    title_case,
)
from classifiers.proper_names import proper_names
from classifiers.terms import Hit
from classifiers.text import normalize_cased

__all__ = ["name_hits"]


def name_hits(dh: DocHits, title: str, text: str, doc: Document) -> set[tuple[str, int]]:
    """(field, start) of the hits in `dh` that name something else (`title` and `text` are
    the normalised fields of `doc`)."""
    return _names(dh, title, text, doc) | _another_coronavirus(dh, title, text, doc)


#: Places and the alliance, which a business, an animal or a ship may be named after
#: (`classifiers.names.names_a_thing`).
_THING_NAMES = frozenset(
    {"kabul", "helmand", "kandahar", "herat", "nato", "taleban", "taliban", "afghanistan"}
    # and one of the movement's men as a nickname ("Sergent kaldt »Talebanen« af rekrutterne")
    | {"talebanen", "talibanen"}
    # and the disease's bare name, which people give their pets ("Gravhunden Covid")
    | {"covid"}
    # and the country's English adjective, which Danish writes only in names ("Afghan Kebab i
    # Skive kåret til byens bedste durum", "Afghan Bazar på Amagerbrogade må flytte")
    | {"afghan"}
    # and "the Afghan" as a nickname in quotes ("»Afghaneren« er tilbage: Kultløbet på
    # Bornholm genopstår")
    | {"afghaneren"}
    # and the secretary general's surname, which others bear ("Kaffebaren Stoltenberg i Bergen
    # kåret til Norges bedste", "Bager Stoltenberg fra Ribe vinder DM i rugbrød")
    | {"stoltenberg"}
    # and the variant's Greek letter, the name of firms, troupes and horses before and after it
    # ("Cateringfirmaet Omikron vinder udbud om skolemad", "Teatergruppen Omikron fylder 25"),
    # though not where the variant itself is named (`_VARIANT_NAMED`)
    | {"omikron"}
)
# "WHO: Ny variant fra det sydlige Afrika får navnet omikron": the naming is the variant's own.
_VARIANT_NAMED = re.compile(r"navnet\s+['\"»«‘“”]?$")


# A street named after the flower, a province or the movement ("Beboerne på Coronavej vil ikke
# skifte vejnavn", "Helmandvej"), which a keyword ending in `*` takes as a compound: an
# address, whatever happens there (the keywords without `*` do not take "Kabulvej"). The
# trap file's and blind rounds' such street is no topic; the shared corpora have none.
_STREET = re.compile(
    r"(?:corona|covid|helmand|afghanistan|taleban|taliban)(?:vej|vejen|gade|gaden|allé|alléen"
    r"|alle|stræde|strædet|boulevard|boulevarden|vænge|vænget|plads|pladsen)"
)


def _names_a_thing(h: Hit, field_text: str) -> bool:
    if _STREET.fullmatch(h.word) is not None:
        return True
    if h.word not in _THING_NAMES or not names_a_thing(h, field_text):
        return False
    return h.word != "omikron" or _VARIANT_NAMED.search(field_text, 0, h.start) is None


def _names(dh: DocHits, title: str, text: str, doc: Document) -> set[tuple[str, int]]:
    """(field, start) of the hits that name something else: a business, an animal, a ship
    (`classifiers.names.names_a_thing`), a brand in camel case ("CoronaVirus"), or "Corona"
    capitalised as a name (`classifiers.names.is_name`). A capitalised "Corona" opening a
    headline says nothing by its capital, so the body decides, as for a pair in the headline:
    it is the name when the body writes it as one and names the topic no other way
    ("Mexicansk øl bliver dyrere: Corona stiger …" over "… prisen på blandt andet Budweiser og
    Corona")."""
    names = {
        (h.field, h.start)
        for h in dh.hits
        if _names_a_thing(h, title if h.field == "title" else text)
    }
    # the same word in the headline is that thing ("Travløb: Nato spurtede sig til sejr" over
    # "Den fireårige hingst Nato var stærkest på opløbet …")
    body_words = {h.word for h in dh.hits if h.field == "text"}
    names |= _settled_by_body(dh, names, lambda h: h.word in body_words)
    memo: list[dict[str, str]] = []

    def cased() -> dict[str, str]:
        if not memo:
            memo.append(_cased_fields(dh, title, text, doc))
        return memo[0]

    names |= _bars(dh, title, text, cased)
    names |= _brand_spelling_names(dh, doc, cased)
    names |= proper_names(dh.hits, doc.title, doc.text, cased)
    names |= _afghans_not_people(dh, title, text, doc)
    names |= _afghan_hounds(dh, title, text)
    names |= _corona_beer(dh, title, text, cased)
    names |= _epithets(dh, title)
    names |= _another_acronym(dh, doc)
    names |= {
        (h.field, h.start)
        for h in dh.hits
        if is_italian_born(h, title if h.field == "title" else text)
    }
    if opens_a_name(doc.title):  # cheap: read cased only then
        names.update(
            (h.field, h.start) for h in dh.hits if is_name_before_capital(h, cased()["title"])
        )
    name = next((n for n in ("corona", "nato") if any(h.surface == n for h in dh.hits)), None)
    if name is None or (
        name == "nato" and not names_a_georgian(doc.title) and not names_a_georgian(doc.text)
    ):
        return names
    reads_as_name = is_name if name == "corona" else is_georgian_name
    names.update(
        (h.field, h.start)
        for h in dh.hits
        if h.surface == name and reads_as_name(h, cased()[h.field])
    )
    # the same capitalised word in the headline is the name ("Georgiske Nato på 21 år skal
    # udvises" over "… sagen om Nato Beridze"), also in the genitive ("Natos georgiske suppe
    # er blevet et hit" over "… frivillige Nato Beridze i køkkenet")
    owners = {name.capitalize(), name.capitalize() + "s"}
    names |= _settled_by_body(dh, names, lambda h: cased()["title"][h.start : h.end] in owners)
    return names


# The letters spelled out as another name's initials ("Fiskeklubben NATO – Nordjysk Aktiv
# Trolling Organisation – holder stævne", "Nordic Autonomous Tidying Operator", "»Det står for
# Nordic And Timeless Oak«", "Navnet står for Network for Antimicrobial Tracking Online"): a
# club, a product, a project or a nickname that the text itself defines.
# All 10 such trap and blind items are no topic; the alliance's own expansion is no other name.
# A small word may stand between two initials ("Network for Antimicrobial Tracking Online").
_SMALL = r"(?:(?:for|of|and|og|af|i|til|på|on|the)\s+)?"
_INITIALS = re.compile(
    r"(?<![^\W_])(?!(?:NATO|Nato)(?![^\W_]))"
    rf"N[\w'-]*\s+{_SMALL}A[\w'-]*\s+{_SMALL}T[\w'-]*\s+{_SMALL}O[\w'-]*"
)
_THE_ALLIANCE = re.compile(r"North\s+Atlantic\s+Treaty\s+Organi[sz]ation", re.IGNORECASE)


def _another_acronym(dh: DocHits, doc: Document) -> set[tuple[str, int]]:
    """Every "nato" hit, where the document spells the letters out as another name's."""
    if not any(h.surface == "nato" for h in dh.hits):
        return set()
    for field in (doc.title, doc.text):
        if title_case(field):  # English title case capitalises every word
            continue
        for m in _INITIALS.finditer(field):
            if _THE_ALLIANCE.match(m.group()) is None:
                return {(h.field, h.start) for h in dh.hits if h.surface == "nato"}
    return set()


# "Afghans" is English: the people in an English wire ("thousands of Afghans who helped
# British forces"), but in a Danish article New Zealand's chocolate biscuit or a crocheted
# blanket ("Årets nye julesmåkage er fra New Zealand: Prøv »afghans«", "hækler »afghans« til
# basaren"): Danish writes the people "afghanere". When the rule was made, of the trap file's
# 12 items with the word the 9 in Danish were all no topic and the 3 English ones the people;
# the shared corpora have none.
_ENGLISH_PLURALS = frozenset({"afghans"})


# In English too they are blankets where somebody knits or crochets them ("Volunteers knit
# afghans to thank Ohio blood donors", "Nurses on picket line knit afghans for premature
# babies"): the 3 such English items of blind rounds 267-278 are no topic; the English items
# with the word and no knitting are the people.
_KNITTED = re.compile(
    r"(?<![^\W_])(?:knit|knits|knitted|knitting|crochet|crochets|crocheted)\s+(?:\w+\s+){0,2}$"
)


def _afghans_not_people(dh: DocHits, title: str, text: str, doc: Document) -> set[tuple[str, int]]:
    found = [h for h in dh.hits if h.surface in _ENGLISH_PLURALS]
    if not found:
        return set()
    if (doc.language or identify(doc.title, doc.text)) == "da":
        return {(h.field, h.start) for h in found}
    return {
        (h.field, h.start)
        for h in found
        if _KNITTED.search(title if h.field == "title" else text, max(0, h.start - 40), h.start)
    }


# "Afghaneren" is also the dog, the Afghan hound ("Afghaneren Zara kåret som Danmarks smukkeste
# hund", "Kontorhunden Bella er en afghaner", "Ejer ventede to timer på dyrlægevagten –
# afghaneren Bobby døde"): in a story of dogs that names the country no other way, the people's
# word is the breed. All 11 such trap and blind stories are no topic; the shared corpora have
# none.
_THE_PEOPLE = frozenset(
    {
        "afghaner",
        "afghaneren",
        "afghanere",
        "afghanerne",
        "afghanerens",
        "afghaneres",
        "afghanernes",
    }
)
_OF_DOGS = re.compile(
    r"(?<![^\W_])(?:[^\W\d_]*hund(?:en|e|ene|ens|enes)?|hvalp\w*|[^\W\d_]*mynde\w*|kennel\w*"
    r"|dyrlæge\w*|crufts|best in show|trimme\w*|lydighedsprøve\w*|halsbånd\w*|opdrætte\w*"
    r"|opdræt)(?![^\W_])"
)


def _afghan_hounds(dh: DocHits, title: str, text: str) -> set[tuple[str, int]]:
    if not dh.hits or any(h.surface not in _THE_PEOPLE for h in dh.hits):
        return set()
    if _OF_DOGS.search(title) is None and _OF_DOGS.search(text) is None:
        return set()
    return {(h.field, h.start) for h in dh.hits}


# "Corona" written as a name in a story of beer is the Mexican beer ("Sommerens mest solgte øl på
# campingpladserne: Corona slår Tuborg", "Corona med citron? Bartendere advarer mod bakterier på
# citronskiverne"): the capitalised word alone, not "coronavirus" beside it ("Coronavirus rammer
# Corona: Hver tredje amerikaner vil ikke købe øllen" still names the disease). Of the trap
# file's 17 such stories the 13 the models alerted on are no topic; the 4 labelled COVID-19
# name the disease another way or were missed before; the shared corpora have none. Not the
# breweries: the pandemic closed them ("Corona lukker bryggerierne i Mexico").
_BEER = re.compile(
    r"(?<![^\W_])(?:øl|øllen|øllet|øllene|ølsalg\w*|ølmærke\w*|heineken|budweiser|carlsberg"
    r"|tuborg|stella|modelo|ab\s+inbev|pilsner\w*|beer|beers|citron\w*|fadøl|bajer\w*)(?![^\W_])"
)


def _corona_beer(
    dh: DocHits, title: str, text: str, cased: Callable[[], dict[str, str]]
) -> set[tuple[str, int]]:
    found = [h for h in dh.hits if h.surface in ("corona", "coronas")]
    if not found or (_BEER.search(title) is None and _BEER.search(text) is None):
        return set()
    fields = cased()
    return {(h.field, h.start) for h in found if fields[h.field][h.start : h.start + 1] == "C"}


# The movement's word in a short quote of a headline is an epithet ("Spillerne kalder den nye
# træner 'Taleban-Torben'", "Forældre raser over 'sukker-Taleban'", "Byrådsmedlem kaldte dem
# 'grønne talebanere'"): three words or fewer set apart by quotes name somebody by it, where a
# quote about the movement is a sentence ("'Taleban leder efter os'"). Of the trap file's and
# blind rounds' 256 such headlines 254 are no topic (the other two, "»Den amerikanske
# Taleban«", name a man who fought with it); the shared corpora have none.
_MOVEMENT = ("taleban", "taliban")


def _epithets(dh: DocHits, title: str) -> set[tuple[str, int]]:
    # said or not ("Rygeforbud: 'Sundhedstalebanen har vundet'")
    return {
        (h.field, h.start)
        for h in dh.hits
        if h.field == "title"
        and h.surface.startswith(_MOVEMENT)
        and in_short_quote(h, title, said_too=True)
    }


# A product written in camel case ("Ransomwaren 'CoronaVirus' var et røgslør", "CovidLock",
# "Microsoft rushes out patch for 'CoronaBlue'"): a brand's spelling, never the disease's. So
# is "CORONA" in capitals in a text that is not itself in capitals: the American spy
# satellites ("Frigivne CORONA-billeder viser Thule-basen i 1960'erne", "det hemmelige
# CORONA-program"), an inscription ("medalje med indskriften »CORONA«"), a wire's dateline
# ("CORONA, Calif. (AP)"). All 11 such trap items are no topic; the shared corpora have none.
_BRAND_SPELLING = re.compile(r"(?:Corona|Covid)[A-Z]|CORONA(?![A-ZÆØÅ])")


def _shouted(field: str) -> bool:
    """Whether most letters of `field` are capitals (a headline set in capitals)."""
    letters = [c for c in field if c.isalpha()]
    return sum(c.isupper() for c in letters) * 2 > len(letters)


def _brand_spelling_names(
    dh: DocHits, doc: Document, cased: Callable[[], dict[str, str]]
) -> set[tuple[str, int]]:
    if not any(h.surface.startswith(("corona", "covid")) for h in dh.hits) or (
        _BRAND_SPELLING.search(doc.title) is None and _BRAND_SPELLING.search(doc.text) is None
    ):
        return set()
    out = set()
    for h in dh.hits:
        field = cased()[h.field]
        m = _BRAND_SPELLING.match(field, h.start)
        if m is not None and (m.group() != "CORONA" or not _shouted(field)):
            out.add((h.field, h.start))
    return out


def _bars(
    dh: DocHits, title: str, text: str, cased: Callable[[], dict[str, str]]
) -> set[tuple[str, int]]:
    """(field, start) of the hits that name a bar: "Bar" written with its capital, or at the
    start of the field, or where the capitals cannot be read (`classifiers.names.bar_beside`)."""
    out = set()
    for h in dh.hits:
        if h.word not in _THING_NAMES:
            continue
        at = bar_beside(h, title if h.field == "title" else text)
        if at is None:
            continue
        original = cased().get(h.field, "")
        if at == 0 or not original or original[at] == "B":
            out.add((h.field, h.start))
    return out


def _cased_fields(dh: DocHits, title: str, text: str, doc: Document) -> dict[str, str]:
    """The fields with hits normalised without lower-casing, at the normalised positions ("" where
    lower-casing changed a length); a long body without hits is not read again."""
    cased = {}
    for field, normal, original in (("title", title, doc.title), ("text", text, doc.text)):
        if any(h.field == field for h in dh.hits):
            c = normalize_cased(original)
            cased[field] = c if len(c) == len(normal) else ""
    return cased


def _settled_by_body(
    dh: DocHits, names: set[tuple[str, int]], same: Callable[[Hit], bool]
) -> set[tuple[str, int]]:
    """(field, start) of the headline hits that `same` finds to be the body's name, where every
    hit of the body is a name (`names`): the body says what the word is (a horse, a shop, a
    beer, a person) and names the topic no other way, so the headline's word is that too."""
    body = [(h.field, h.start) for h in dh.hits if h.field == "text"]
    if not body or not names.issuperset(body):
        return set()
    return {(h.field, h.start) for h in dh.hits if h.field == "title" and same(h)}


# The family's word ("coronavirus", "et nyt coronavirus") names the disease only where no
# other member of the family is the story. MERS was reported as "et nyt coronavirus" from
# 2012 ("Nyt coronavirus breder sig i Saudi-Arabien" over "… det virus, der nu kaldes MERS"),
# before covid-19 existed. From the end of 2019 a new coronavirus is this topic's, and the
# early reports of it name MERS as a relative ("i familie med SARS og MERS"), so the rule
# holds for articles from before then and for undated ones. In the shared corpora no
# document names MERS.
_FAMILY_WORD = re.compile(r"corona-?vir\w*")
_OTHER_MEMBER = re.compile(r"(?<![^\W_])mers(?![^\W_])")
_FIRST_CASES = date(2019, 12, 1)


def _another_coronavirus(dh: DocHits, title: str, text: str, doc: Document) -> set[tuple[str, int]]:
    """(field, start) of hits that name another coronavirus: every hit is the family's word
    and the document, from before covid-19 or undated, names MERS."""
    if (
        not dh.hits
        or (doc.published is not None and doc.published >= _FIRST_CASES)
        or not all(_FAMILY_WORD.fullmatch(h.surface) for h in dh.hits)
        or not (_OTHER_MEMBER.search(title) or _OTHER_MEMBER.search(text))
    ):
        return set()
    return {(h.field, h.start) for h in dh.hits}
