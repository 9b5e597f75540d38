"""Danish normalisation and tokenisation: what both the keyword rules and the model see."""

from __future__ import annotations

import sys

import pytest

from classifiers.text import DANISH_STOP_WORDS, normalize, stem, tokenize


def test_normalize_lowercases_nfkc_and_soft_hyphens() -> None:
    assert normalize("ＮＡＴＯ") == "nato"  # full-width letters fold under NFKC
    assert normalize("Forsvars\u00adalliancen") == "forsvarsalliancen"
    assert normalize("Æbler  og\tØL") == "æbler og øl"


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2013", "\u2014", "\u2212"])
def test_dash_variants_become_hyphen(dash: str) -> None:
    assert normalize(f"Nato{dash}landene") == "nato-landene"


def test_typographic_apostrophe() -> None:
    assert normalize("NATO’s topmøde") == "nato's topmøde"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("kampen mod Dortmund.Det meddeler", "kampen mod dortmund. det meddeler"),
        ("ifølge Ritzau.12 sager", "ifølge ritzau. 12 sager"),
        ("hvad nu?Nej, siger han", "hvad nu? nej, siger han"),
        ("USA og U.S. Army", "usa og u.s. army"),  # abbreviation kept
        ("vækst på 3.5 procent", "vækst på 3.5 procent"),  # decimal kept
        ("se dr.dk nu", "se dr.dk nu"),  # domain kept
        ("sagde hun:Vi går", "sagde hun: vi går"),
        ("ikke nu;Senere", "ikke nu; senere"),
        ("Stop!«Nej»", "stop! «nej»"),
        ('han sagde "nej".Derefter', 'han sagde "nej". derefter'),
        ("i 2022.Det skete", "i 2022. det skete"),  # after a digit: a capitalised word
        ("kl. 14.54 og 2022.DR", "kl. 14.54 og 2022.dr"),  # ... but not digits or capitals
        ("Fra nu.Derefter!Så?Hvad", "fra nu. derefter! så? hvad"),  # every mark, one text
    ],
)
def test_glued_sentences(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_every_odd_white_space_collapses() -> None:
    """The spelled-out class of odd white space is exactly Python's white space other than
    the space and the newline: no character is missed, none is added."""
    odd = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c not in " \n")
    assert normalize(f"a{odd}b\nc") == "a b\nc"
    assert all(normalize(f"x{c}y") == "x y" for c in odd)


def test_normalize_is_idempotent() -> None:
    s = normalize("Han talte i Bruxelles.Nato–landene og NATO’s covid‐19‐krise")
    assert normalize(s) == s


def test_tokenize_compounds_and_possessives() -> None:
    toks = tokenize(normalize("Nato-landene drøftede covid-19-krisen og NATO’s plan i Århus"))
    assert toks[:3] == ["nato-landene", "nato", "landene"]
    assert "covid-19-krisen" in toks and "covid" in toks and "krisen" in toks
    assert "nato" in toks[toks.index("og") :]  # "nato's" → "nato"
    assert "århus" in toks and "drøftede" in toks


def test_tokenize_without_compound_parts() -> None:
    assert tokenize("nato-landene", compounds=False) == ["nato-landene"]


def test_stop_words_and_stemming() -> None:
    assert {"og", "i", "at", "det"} <= DANISH_STOP_WORDS
    assert "krig" not in DANISH_STOP_WORDS
    assert stem("vaccinerne") == stem("vaccinen")
    assert stem("soldaterne") == stem("soldater")
