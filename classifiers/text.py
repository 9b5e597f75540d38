"""Danish text handling shared by the keyword rules and the model.

Both must see the same text: a keyword hit's position is only useful for masking if the
model tokenises the very string the matcher scanned. So everything starts with `normalize`,
and hit positions everywhere refer to the normalised string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

__all__ = [
    "COMMON_WORDS",
    "DANISH_STOP_WORDS",
    "NO_REASON_WORDS",
    "normalize",
    "stem",
    "tokenize",
]

# Soft hyphen, zero-width space/joiners, word joiner, BOM: invisible, but they split words.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"}
# Typographic apostrophes and primes become ASCII ' so "NATO’s" tokenises like "NATO's".
_APOSTROPHES = {ord(c): "'" for c in "\u2019\u2018\u02bc\u2032\u00b4`"}
_TRANSLATE = {**_INVISIBLE, **_DASHES, **_APOSTROPHES}

# Scraped leads glue sentences: "Dortmund.Det meddeler", "kampen?Nej", "Ritzau.12 sager".
# A lower-case letter (or closing quote/bracket) before the mark and an upper-case letter or
# a digit after it is a glued boundary; abbreviations ("U.S.") and decimals ("3.5") are not.
# After a digit only a capitalised word counts ("i 2022.Det"), so "kl. 14.54" stays whole.
# One pattern per mark, each starting with its mark (a literal the regex engine skips to in
# C) and replaced by the mark and a space (a literal replacement: no Python call per match,
# which a template such as "\g<0> " costs). Over the corpus's leads, of which a third have
# glued sentences, 3.5x faster than one pattern for all marks with such a template, and than
# one matching the empty boundary behind the mark (a look-behind tried at every position).
_GLUED = tuple(
    (
        re.compile(
            re.escape(mark) + r"(?=[A-ZÆØÅÄÖÜÉ0-9\"«–-])"
            r"(?:(?<=[a-zæøåäöüéè\"')\]»]" + re.escape(mark) + r")"
            r"|(?<=[0-9][.!?])(?=[A-ZÆØÅ][a-zæøå]))"
        ),
        mark + " ",
        mark,
    )
    for mark in ".!?:;"
)
# White space other than the plain space and the newline (`[^\S\n ]`, spelled out: the
# engine scans a class of characters in C, a negated category per character).
_ODD_SPACES = "\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Characters `_TRANSLATE` changes or odd white space: most texts have none, and one failed
# search is ~15x cheaper than `str.translate` with a dict.
_UNUSUAL = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + _ODD_SPACES + "]")
_is_normalized = unicodedata.is_normalized  # a local name: looked up once per field
# Whitespace other than newlines collapses to one space.
_SPACES = re.compile(r"[^\S\n]{2,}|[" + _ODD_SPACES + "]")


def normalize(text: str) -> str:
    """NFKC, invisible characters out, dashes → "-", apostrophes → "'", glued sentences
    split, whitespace collapsed, lower-cased. Idempotent, so it is safe to apply twice."""
    return normalize_cased(text).lower()


def normalize_cased(text: str) -> str:
    """`normalize` without the lower-casing: positions match the normalised text wherever
    lower-casing keeps the length (callers check), so a hit's original capitals can be read
    (a capitalised "Corona" in mid-sentence is a name, `classifiers.names.is_name`)."""
    if not text:
        return ""
    if not _is_normalized("NFKC", text):  # most are: checking is cheaper than normalising
        text = unicodedata.normalize("NFKC", text)
    unusual = _UNUSUAL.search(text) is not None
    if unusual:
        text = text.translate(_TRANSLATE)
    for glued, spaced, mark in _GLUED:
        if mark in text:  # most fields lack most marks: a C substring test, not a sub call
            text = glued.sub(spaced, text)
    if unusual or "  " in text:
        text = _SPACES.sub(" ", text)
    return text


# A word: letters/digits (æøå included via \w), optionally joined by internal apostrophes
# ("nato's") and hyphens ("nato-landene", "covid-19-krisen"). Underscore is not a letter.
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


def tokenize(text: str, *, compounds: bool = True) -> list[str]:
    """Words of normalised text. A hyphen compound yields itself and, with `compounds`, its
    parts ("nato-landene" → "nato-landene", "nato", "landene"); a possessive "'s" is dropped
    from the parts ("nato's" → "nato")."""
    out: list[str] = []
    for word in _WORD.findall(text):
        if "'" in word:
            base = word.split("'", 1)[0]
            if "-" not in base:
                out.append(base)
                continue
            word = base
        out.append(word)
        if compounds and "-" in word:
            out.extend(p for p in word.split("-") if p)
    return out


# Snowball's Danish stop-word list plus frequent news function words. Kept short on purpose:
# words such as "ikke" and "mod" carry no topic, but "krig" or "smitte" must never be here.
DANISH_STOP_WORDS: frozenset[str] = frozenset(
    """
    af alle andet andre at blev blive bliver da de dem den denne der deres det dette dig din
    dine disse dit dog du efter eller en end er et for fra ham han hans har havde have hende
    hendes her hos hun hvad hvis hvor i ikke ind jeg jer jo kunne man mange med meget men mig
    min mine mit mod ned noget nogle nu når og også om op os over på selv sig sin sine sit skal
    skulle som sådan thi til ud under var vi vil ville vor vores være været
    kan kommer får fik siger sagde ifølge blandt bl flere første både ved mere mest nye ny
    helt godt igen inden lige længe sidste stadig kun anden nogen ingen hver hele dag år
    """.split()
)

# Words that occur in news on every subject: common verbs in all their forms, adverbs,
# numbers, ages, quantities and generic nouns ("historien", "sagen", "folk"). They carry no
# topic, so they are neither features nor reasons shown to a reader; a context model that
# leans on them ("går", "må", "styr") learned an accident of its training sample, and those
# are exactly the words Norwegian and Swedish share with Danish. Topic vocabulary ("smitte",
# "soldater", "alliancen") must never be here.
COMMON_WORDS: frozenset[str] = frozenset(
    """
    gå går gik gået må måtte måttet få fik fået gøre gør gjorde gjort tage tager tog taget
    give giver gav givet se ser så set komme kom kommet blive blevet stå står stod stået
    ligge ligger lå holde holder holdt sætte sætter satte sat lade lader lod finde finder
    fandt fundet mene mener mente tro tror troede vide ved vidste sige sagt skrive skriver
    skrev skrevet fortælle fortæller fortalte fortalt vise viser viste vist bruge bruger
    brugte brugt begynde begynder begyndte hedde hedder hed kalde kalder kaldte lyde lyder
    lød burde bør handle handler tale taler talte ske sker skete sket
    allerede aldrig altid endnu måske bare nok helt rigtig faktisk samtidig derfor alligevel
    snart længere tilbage frem videre sammen hjem ude inde først sidst senere tidligere
    siden dengang lidt mindre
    dage året tid tiden gang gange uge ugen ugens måned måneden folk mennesker menneske
    personer person historie historien historier sag sagen sager ting tingene del delen måde
    styr side plads slags
    to tre fire fem seks syv otte ni ti elleve tolv hundrede tusind tusinde million
    millioner milliard milliarder procent
    årig årige års
    begge anden andet andre nogle egen eget egne samme næste
    stor store større største lille små gammel gamle god gode lang lange kort høj høje lav
    """.split()
)


# Words of any subject that a topic's stories happen to use often: conjunctions and question
# words ("fordi", "hvordan"), months and periods, generic verbs of meetings and decisions
# ("mødes", "anbefaler", "dropper", "ophæver") and adjectives ("strenge", "fælles"). Unlike
# `COMMON_WORDS` they stay features: as context they help ("anbefaler" beside "stik", "mål"
# beside "forsvarsudgifter"; taken out of the features they cost both dev models 0.002), but
# shown as the reason for an alert they explain nothing ("Hvorfor: corona, fordi"). On 75,355
# real articles 16 of 1,143 alerts named one of them as a reason.
# Also patients, whom every health story names ("Sygefraværet stikker af: Rammer
# patienterne" was a keyword-free COVID-19 alert of the default model on the corpora). The
# ids are the features' stems, so a word whose stem the topic needs stays: "stikker" is
# "stik" (the jab), "optagelser" (recordings) is "optag" (the alliance's "optagelse").
NO_REASON_WORDS: frozenset[str] = frozenset(
    """
    hvordan hvorfor hvornår hvem hvilken hvilket hvilke fordi mens selvom hvorvidt
    måneder månederne årti årtier januar februar marts april maj juni juli august september
    oktober november december rest resten fælles øverste lokal lokale lokalt
    streng strenge strengt strengere kritisk kritiske mål målet målene
    hente henter hentede hentet forlade forlader forlod forladt afslutte afslutter afsluttede
    afsluttet indgå indgår indgik indgået bidrage bidrager bidrog bidraget drøfte drøfter
    drøftede drøftet mødes mødtes anbefale anbefaler anbefalede anbefalet droppe dropper
    droppede droppet ophæve ophæver ophævede ophævet eksplodere eksploderer eksploderede
    dele deler delte delt træt trætte
    patient patienten patienter patienterne
    """.split()
)


@cache
def _stemmer() -> Any:  # PyStemmer ships no type information
    """PyStemmer's Danish Snowball (C), without its own cache (see `stem`); imported lazily
    to keep `import classifiers` cheap for code that only needs keyword rules."""
    import Stemmer

    return Stemmer.Stemmer("danish", 0)


_STEMS: dict[str, str] = {}
_STEMS_MAX = 200_000


def stem(word: str) -> str:
    """Danish Snowball stem of one normalised word, memoised.

    The memo is a plain dict of strings, which the garbage collector does not track.
    PyStemmer's own cache keeps a two-item list per word and `functools.lru_cache` a
    linked-list node: some 180,000 tracked objects after the corpus, which every full
    collection walked (130-160 ms each, ~12 % of the classifier's time in `bench/classify.py`)."""
    out = _STEMS.get(word)
    if out is None:
        out = str(_stemmer().stemWord(word))
        if len(_STEMS) < _STEMS_MAX:
            _STEMS[word] = out
    return out
