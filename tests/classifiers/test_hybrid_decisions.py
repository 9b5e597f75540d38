"""The hybrid's decisions: related terms, other subjects, and the reasons an alert shows.

Every sentence here is written for the test."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from classifiers.base import Document, TopicRule
from classifiers.evidence import prepare
from classifiers.factory import default_model
from classifiers.hybrid import MODEL_ONLY_REASONS, HybridClassifier
from classifiers.keywords import KeywordClassifier
from classifiers.text import COMMON_WORDS, DANISH_STOP_WORDS, normalize
from tests.classifiers.sample_rules import RULES, context_sure_of_all, rules_with


def test_related_terms_are_found_in_normalised_text() -> None:
    kc = KeywordClassifier(RULES)
    assert [h.term for h in kc.related_hits(0, "rutte besøger vilnius", "")] == ["rutte"]
    assert [h.term for h in kc.related_hits(2, "", "byen kandahar er faldet")] == ["kandahar"]
    assert kc.related_hits(1, "smitten stiger", "") == ()
    # The tail of a hyphenated compound is another subject's: its head names the kind.
    kc = KeywordClassifier((TopicRule("COVID-19", ("covid*",), related=("restriktion*",)),))
    assert kc.related_hits(0, "eu-lande vil bruge visa-restriktioner", "") == ()
    assert [h.surface for h in kc.related_hits(0, "", "nye restriktioner i dag")] == [
        "restriktioner"
    ]


@pytest.fixture(scope="module")
def hybrid() -> HybridClassifier:
    return HybridClassifier(RULES, default_model(RULES))


def test_related_term_lowers_the_bar_and_is_a_reason(hybrid: HybridClassifier) -> None:
    doc = Document("Kandahar er faldet", "Oprørerne har indtaget byen efter hårde kampe.")
    proba, evidence, pairs = hybrid.score([doc])
    related = hybrid.related(proba, evidence, pairs)
    assert list(related) == [(0, 2)]
    assert hybrid.decide(proba, evidence, None, related)[0, 2]
    # Without the related term the same score must clear the higher no-keyword bar.
    proba[0, 2] = (hybrid.decision.related + hybrid.decision.none) / 2
    assert hybrid.decide(proba, evidence, None, related)[0, 2]
    assert not hybrid.decide(proba, evidence, None, {})[0, 2]
    (row,) = hybrid.classify_many([doc])
    assert row[2].matched and row[2].reasons[0] == "kandahar"


def test_two_different_related_terms_stand_for_one_mention_of_the_topic(
    hybrid: HybridClassifier,
) -> None:
    rules = rules_with(replace(RULES[1], related=("smittetal*", "positivprocent*")))
    clf = HybridClassifier(rules, hybrid.model)
    d = clf.decision
    title = "Ugens tal: lavest siden sommeren"
    twice = Document(title, "Smittetallet falder, og positivprocenten er under 2.")
    once = Document(title, "Smittetallet falder, og smittetallene for de ældste også.")
    for doc, alerts in ((twice, True), (once, False)):
        proba, evidence, pairs = clf.score([doc])
        proba[0, 1] = (d.single + d.related) / 2  # between the two bars
        related = clf.related(proba, evidence, pairs)
        assert bool(clf.decide(proba, evidence, None, related)[0, 1]) is alerts, doc.text


def test_two_of_a_topics_own_names_alert_unless_the_context_argues_against_them(
    hybrid: HybridClassifier,
) -> None:
    """`related_pair_alerts`: two different related terms alert at a context score far
    below every other bar; one alone, or two of a topic without the flag, do not."""
    nato = replace(RULES[0], related=("kampgruppe*", "østflank*"))
    doc = Document("Soldaterne er klar", "Kampgruppen i Letland skal styrke østflanken.")
    once = Document("Soldaterne er klar", "Kampgruppen i Letland skal styrke forsvaret.")
    for flag, doc_, alerts in ((True, doc, True), (True, once, False), (False, doc, False)):
        clf = HybridClassifier(rules_with(replace(nato, related_pair_alerts=flag)), hybrid.model)
        d = clf.decision
        proba, evidence, pairs = clf.score([doc_])
        proba[0, 0] = (d.related_pair + d.related_twice) / 2
        related = clf.related(proba, evidence, pairs)
        assert bool(clf.decide(proba, evidence, None, related)[0, 0]) is alerts, (flag, doc_)
    # below the bar the context argues against the topic, and the terms are not looked for
    clf = HybridClassifier(rules_with(replace(nato, related_pair_alerts=True)), hybrid.model)
    proba, evidence, pairs = clf.score([doc])
    proba[0, 0] = clf.decision.related_pair / 2
    assert (0, 0) not in clf.related(proba, evidence, pairs)


def test_a_single_mention_beside_a_related_term_needs_a_lower_model_score(
    hybrid: HybridClassifier,
) -> None:
    text = "Der er covid på afdelingen, og smittetallet stiger på hele sygehuset."
    docs = [
        Document("Sygehuset lukker for besøg", text),
        Document("Sygehuset lukker for besøg", text.replace("smittetallet", "ventetiden")),
        # A time marker stays a passing mention, related term or not.
        Document("Sygehuset har travlt", "Ligesom efter covid stiger smittetallet."),
    ]
    proba, evidence, _ = hybrid.score(docs)
    assert [bool(e[1].related) for e in evidence] == [True, False, False]
    assert not any(e[1].strong for e in evidence)
    d = hybrid.decision
    assert d.single_related < d.single
    proba[:, 1] = (d.single_related + d.single) / 2
    assert hybrid.decide(proba, evidence)[:, 1].tolist() == [True, False, False]
    (row, _, _) = hybrid.classify_many(docs)
    if row[1].matched:  # the related term is a reason of its own
        assert "smittetal" in " ".join(row[1].reasons)


def test_a_single_mention_beside_two_different_related_terms_is_named_twice(
    hybrid: HybridClassifier,
) -> None:
    """Two of the topic's own measures beside one keyword: strong, whatever the context
    model makes of an economy story. Two spellings of one measure are one related term."""
    related = ("hjælpepakke*", "lønkompensation*", "to procent af bnp", "to procent af bruttonat*")
    rules = rules_with(
        replace(RULES[0], related=related[2:]), replace(RULES[1], related=related[:2])
    )
    clf = HybridClassifier(rules, hybrid.model)
    aid = Document(
        "Hjælpepakkerne har holdt hånden under 200.000 job",
        "Uden lønkompensation og de øvrige coronahjælpepakker var ledigheden højere.",
    )
    target = Document(
        "Japan vil bruge to procent af BNP på forsvar",
        "Det svarer til Natos mål om to procent af bruttonationalproduktet.",
    )
    proba, evidence, pairs = clf.score([aid, target])
    proba[:] = 0.01  # the context reads like economy news
    decided = clf.decide(proba, evidence, None, clf.related(proba, evidence, pairs))
    assert decided[0, 1] and not decided[1, 0]


def test_a_story_naming_another_subject_is_not_alerted_by_the_model_alone() -> None:
    rules = rules_with(
        TopicRule("COVID-19", ("covid*",), related=("smittetal*",), others=("influenza*",))
    )
    docs = [
        Document("Influenzaen spreder sig", "Smittetallet stiger, og flere ældre indlægges."),
        Document("Smitten spreder sig", "Smittetallet stiger, og flere ældre indlægges."),
        Document("Influenza og covid fylder sygehusene", "Smittetallet stiger."),
    ]
    hybrid, proba, evidence, pairs = context_sure_of_all(rules, docs, 1)
    others = hybrid.others(proba, evidence, pairs)
    assert others == {(0, 1)}  # not the one naming no other disease, not the named covid
    decided = hybrid.decide(proba, evidence, None, hybrid.related(proba, evidence, pairs), others)
    assert decided[:, 1].tolist() == [False, True, True]


def test_a_look_alike_the_excludes_name_is_another_subject() -> None:
    """A document whose only topic words an exclude vetoed names what they meant there (the
    cattle's coronavirus, the beer): the context model alone does not alert on it, though
    the look-alike's span is masked out of the text the other-subject terms read."""
    rules = rules_with(
        TopicRule("COVID-19", ("covid*", "corona*"), exclude=("bovin* coronavirus*",))
    )
    docs = [
        Document("Coronavirus dræber kalve", "Bag udbruddet står bovint coronavirus."),
        Document("Coronavirus dræber ældre", "Bag udbruddet står det nye coronavirus."),
        Document("Smitten spreder sig i stalden", "Flere kalve er syge."),
    ]
    hybrid, proba, evidence, pairs = context_sure_of_all(rules, docs, 1)
    assert evidence[0][1].looks_alike and not evidence[0][1].named
    assert hybrid.others(proba, evidence, pairs) == {(0, 1)}
    decided = hybrid.decide(proba, evidence, None, {}, hybrid.others(proba, evidence, pairs))
    assert decided[:, 1].tolist() == [False, True, True]


def test_another_topic_named_in_the_headline_is_another_subject() -> None:
    """A topic not named at all does not alert beside a headline that names another topic:
    the Taliban's restrictions are not covid measures, however the context reads."""
    rules = rules_with(TopicRule("COVID-19", ("covid*",), related=("restriktion*",)))
    docs = [
        Document("Taliban indfører nye restriktioner for kvinder", ""),
        Document("Regeringen indfører nye restriktioner for natklubber", ""),
    ]
    hybrid, proba, evidence, pairs = context_sure_of_all(rules, docs, 1)
    assert hybrid.others(proba, evidence, pairs) == {(0, 1)}


def test_a_place_topic_needs_its_names_not_only_a_context_that_reads_like_it() -> None:
    """`model_alone: false` (Afghanistan in config.yaml): war, regime and refugee news from
    elsewhere reads like Afghanistan's to the context model, but a story about a country
    names it, its places or its people; those still alert."""
    rules = rules_with(
        TopicRule("Afghanistan", ("afghan*", "taliban*"), related=("kandahar",), model_alone=False)
    )
    docs = [
        Document("Oprørere rykker frem mod hovedstaden", "Regeringshæren trækker sig tilbage."),
        Document("Kampe ved Kandahar", "Oprørere rykker frem mod byen."),
        Document("Taliban rykker frem mod hovedstaden", "Regeringshæren trækker sig tilbage."),
    ]
    hybrid, proba, evidence, pairs = context_sure_of_all(rules, docs, 2)
    related = hybrid.related(proba, evidence, pairs)
    assert hybrid.decide(proba, evidence, None, related)[:, 2].tolist() == [False, True, True]
    # The same rules where the model may decide alone: the first alerts too.
    alone = HybridClassifier((*rules[:2], replace(rules[2], model_alone=True)), hybrid.model)
    assert alone.decide(proba, evidence, None, related)[:, 2].tolist() == [True, True, True]


def test_reasons_are_topic_bearing_and_model_only_alerts_name_two(
    hybrid: HybridClassifier,
) -> None:
    from classifiers.training import load_seed_examples

    traps = Path(__file__).parent / "data" / "traps.jsonl"
    import json

    docs = [d for d, _ in load_seed_examples()] + [
        Document(o["title"], o["text"]) for o in map(json.loads, traps.read_text().splitlines())
    ]
    rows = hybrid.classify_many(docs)
    kc = KeywordClassifier(RULES)
    _, evs = zip(*(prepare(kc, d) for d in docs), strict=True)
    model_only = 0
    for doc, row, ev in zip(docs, rows, evs, strict=True):
        for j, (s, e) in enumerate(zip(row, ev, strict=True)):
            if not s.matched:
                continue
            assert not set(s.reasons) & (COMMON_WORDS | DANISH_STOP_WORDS), s
            related = kc.related_hits(j, normalize(doc.title), normalize(doc.text))
            if not e.named and not related:  # no keyword, or only in a background clause
                model_only += 1
                own = [r for r in s.reasons if r not in {h.term for h in e.hits}]
                assert len(own) >= MODEL_ONLY_REASONS, s
    assert model_only > 10  # the rule was exercised


def test_one_weak_word_is_not_enough_for_the_model_alone(hybrid: HybridClassifier) -> None:
    # "smitter" in a figure of speech: one word the COVID-19 context knows, nothing else.
    (row,) = hybrid.classify_many([Document("Skandalen smitter af på partiets målinger", "")])
    assert not row[1].matched


def test_a_topic_named_only_in_a_background_clause_is_decided_as_if_unnamed(
    hybrid: HybridClassifier,
) -> None:
    """The context model must carry it alone: a Finland story that says Finland is in NATO
    is about Finland. A single mention elsewhere keeps the single-mention bar."""
    docs = [
        Document("Hegnet er færdigt", "Finland, der blev medlem af Nato i fjor, frygter Rusland."),
        Document("Hegnet er færdigt", "Finland beder Nato om hjælp, fordi landet frygter Rusland."),
    ]
    proba, evidence, pairs = hybrid.score(docs)
    assert [e[0].any for e in evidence] == [True, True]
    d = hybrid.decision
    proba[:, 0] = (d.single + d.none) / 2
    assert hybrid.decide(proba, evidence)[:, 0].tolist() == [False, True]
    proba[:, 0] = d.none  # sure enough to decide alone
    assert hybrid.decide(proba, evidence)[:, 0].tolist() == [True, True]
    # Deciding alone, the model must name as many words of its own as with no keyword: the
    # background keyword explains nothing.
    rule = hybrid.rules[0]
    assert [hybrid.reasons_needed(e[0], False, rule) for e in evidence] == [MODEL_ONLY_REASONS, 1]


def test_a_headline_naming_another_subject_outweighs_a_single_mention_in_the_body() -> None:
    rules = rules_with(TopicRule("COVID-19", ("covid*",), others=("influenza*",)))
    text = "SSI finder også covid-19 i prøverne, men influenza fylder mest."
    docs = [
        Document("Flere smittes med influenza", text),  # the headline names its subject
        Document("Flere smittes lige nu", text),  # no subject in the headline: single bar
        Document("Vaccine mod covid og influenza til ældre", text),  # both in the headline
    ]
    hybrid, proba, evidence, pairs = context_sure_of_all(rules, docs, 1)
    assert not any(h.field == "title" for e in evidence[:2] for h in e[1].hits)
    others = hybrid.others(proba, evidence, pairs)
    assert others == {(0, 1)}
    assert hybrid.decide(proba, evidence, None, {}, others)[:, 1].tolist() == [False, True, True]


def test_a_headline_naming_the_topics_own_measure_outweighs_another_subject_in_the_body() -> None:
    rules = rules_with(
        TopicRule("COVID-19", ("covid*",), related=("fjerde stik",), others=("influenza*",))
    )
    text = "Vaccinen tilbydes fra oktober sammen med influenzavaccinen."
    docs = [
        Document("Ældre tilbydes et fjerde stik", text),  # the headline names the measure
        Document("Ældre tilbydes et stik mere", text),  # it does not: the other subject vetoes
        Document("Fjerde stik og influenzavaccine til ældre", text),  # it names both
    ]
    hybrid, proba, evidence, pairs = context_sure_of_all(rules, docs, 1)
    assert hybrid.others(proba, evidence, pairs) == {(1, 1), (2, 1)}


def test_a_former_holder_in_the_headline_does_not_outweigh_another_subject_in_the_body() -> None:
    """The headline's related term keeps the other subject's veto off only when it names the
    topic's people now: a former secretary general's name describes him, as his office does
    (`classifiers.evidence.current_related`)."""
    rules = rules_with(
        TopicRule("NATO", ("nato",), related=("stoltenberg",), others=("finansminist*",))
    )
    text = "Han er i dag finansminister i Norge og taler om budgettet."
    docs = [
        Document("Tidligere Nato-chef Jens Stoltenberg taler i Oslo", text),
        Document("Generalsekretær Jens Stoltenberg taler i Oslo", text),
    ]
    hybrid, proba, evidence, pairs = context_sure_of_all(rules, docs, 0)
    assert not evidence[0][0].named
    assert hybrid.others(proba, evidence, pairs) == {(0, 0)}


def test_a_related_term_matching_a_keywords_hit_is_not_counted_twice() -> None:
    """The alert's reasons are its keywords and related terms without repeats; a repeat made
    the rule "the model names one word of its own" unmeetable (a real miss: "nedlukningen"
    is a keyword and matches the related "nedlukning*"). The model names no words here
    (`explain_terms=0`), so only the keyword and the related term can be reasons."""
    rules = rules_with(
        TopicRule("COVID-19", ("nedlukningen",), related=("nedlukning*", "hjælpepakke*"))
    )
    doc = Document(
        "Hjælpepakke til restauranterne",
        "Restauranter ramt af nedlukningen får kompensation for tabt omsætning.",
    )
    hybrid = HybridClassifier(rules, default_model(rules), explain_terms=0)
    proba, evidence, _ = hybrid.score([doc])
    assert evidence[0][1].related and not evidence[0][1].strong
    assert proba[0, 1] >= hybrid.decision.single_related
    (row,) = hybrid.classify_many([doc])
    assert row[1].matched
    assert row[1].reasons == ("nedlukningen", "hjælpepakke")


def test_a_place_topics_keyword_is_its_own_reason() -> None:
    """`model_alone: false`: beside a single keyword mention the model need not name a word
    of its own (here it names none: `explain_terms=0`); the name of the place or its rulers
    is the reason. Other topics still need one."""
    place = TopicRule("Afghanistan", ("taliban*",), model_alone=False)
    doc = Document("Kvinder må ikke gå i parker", "Talibanstyret har også forbudt dem at arbejde.")
    for rule, expected in ((place, True), (replace(place, model_alone=True), False)):
        rules = rules_with(rule)
        hybrid = HybridClassifier(rules, default_model(rules), explain_terms=0)
        proba, evidence, _ = hybrid.score([doc])
        assert not evidence[0][2].strong and proba[0, 2] >= hybrid.decision.single
        assert hybrid.classify_many([doc])[0][2].matched is expected
