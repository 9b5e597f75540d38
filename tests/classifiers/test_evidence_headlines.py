"""Headline rules found in a blind-labelled sample of the corpora (BENCHMARKS.md, round 9):
what happened "under" the pandemic, a source's clause after a comma, which pairs with a common
noun are circumstances, and lists of diseases. Every sentence here is written for the test."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from classifiers.base import Document, TopicRule
from classifiers.evidence import Evidence, prepare
from classifiers.keywords import KeywordClassifier

RULES = (
    TopicRule("NATO", ("nato", "stoltenberg")),
    TopicRule(
        "COVID-19",
        ("covid*", "corona*", "mundbind*", "nedlukningen"),
        others=("influenza*", "rs-virus*", "mæsling*"),
    ),
    TopicRule(
        "Afghanistan", ("afghanistan*", "afghansk*", "taliban*", "kabul"), others=("irak*", "mali")
    ),
)


def row(title: str, text: str = "") -> Sequence[Evidence]:
    """Every topic's keyword evidence in one document, under `RULES`."""
    return prepare(KeywordClassifier(RULES), Document(title, text))[1]


def covid(title: str, text: str = "") -> Evidence:
    return row(title, text)[1]


@pytest.mark.parametrize(
    "title",
    [
        "Frisør får bøde for at holde åbent under corona",
        "Flere unge mistede deres fritidsjob under coronakrisen",
        "Elever tabte måneders læring under nedlukningen",
        "Under corona rasede debatten om skolerne",
        "Hospitals cut surgeries during Covid",
        # the period's effects, though a verb of beginning comes before
        "Børn, der startede i skole under nedlukningen, halter stadig efter",
        "Flere virksomheder startede under corona end i nogen anden periode",
        "40.000 patienter venter stadig på operationer udskudt under corona",
        # the period opening the clause with another verb: what happened then
        "Budene: »Under nedlukningen kørte vi 300 ture om dagen«",
        # an origin verb after the period in mid-clause
        "Mange patienter under corona fandt ingen læge",
        # a relative clause in the perfect, on people, or the headline's whole story
        "Studerende, der har mistet jobbet under corona, kan låne ekstra SU",
        "Landsret: Frisør, der holdt åbent under nedlukningen, skal betale 50.000 kr. i bøde",
        "Mindeord: Overlægen, der stod forrest på intensiv under coronaen",
    ],
)
def test_what_happened_during_the_pandemic_is_the_headlines_subject(title: str) -> None:
    assert covid(title).strong, title


@pytest.mark.parametrize(
    "title",
    [
        "Huspriserne er højere end under coronakrisen",  # a comparison
        "Julegaverne kan blive forsinket – ligesom under corona",  # "som" in one word
        "Ambassadechauffør har kørt for ni ambassadører – også under corona",  # an addition
        "Tjente godt under coronakrisen: Nu lukker kæden butikker",  # then: now
        "Turisterne er tilbage efter coronakrisen",  # other words of time unchanged
        "Julemarkederne vender tilbage efter to corona-aflyste år",  # years the pandemic marked
        "Første fald i forbruget siden coronakrisen",
        "Har EU lært lektien oven på coronakrisen?",  # "ovenpå" in two words
        "Tandlægevagten har aldrig haft så travlt – heller ikke under corona",  # a yardstick
        # what began then and is the story now: a work written, an idea born, a skill learnt
        "Björk udgiver album, hun skrev under corona-nedlukningen",
        "Casper Christensen: Idéen til den nye Klovn-film opstod under corona",
        "Influenceren, der blev kendt under coronanedlukningen, lancerer sit eget tøjmærke",
        "Statsministeren om boligudspil: »Vi lærte under corona, at vi kan handle hurtigt«",
        # the same verbs after the period that opens the clause
        "Jonglør: »Under corona lærte jeg at gå på line i min baghave«",
        "Under coronakrisen fandt hun sit kald som keramiker",
        # the speaker's own start then
        "Twitch-streamer: 'Jeg startede for sjov under corona'",
        "Brintpionér: »Det hele startede i garagen under coronanedlukningen«",
        "Bagebogsdronning: 'Under corona begyndte jeg at bage til hele opgangen'",
        # ", nu": the present after the period
        "Spilleklubben: »Under corona savnede vi hinanden, nu mødes vi hver tirsdag«",
        # the past of one thing the news is about, in a relative clause on its definite noun
        "Vinbaren, der startede som nødløsning under coronakrisen, får Bib Gourmand",
        "1813 vil holde fast i telefonvisitationen, der blev indført under corona",
        "Ny modtageklasse flytter ind i pavillonen, der var testcenter under corona",
    ],
)
def test_under_in_a_comparison_or_the_past_part_still_dates_the_story(title: str) -> None:
    assert not covid(title).strong, title


def test_under_the_pandemic_in_the_body_still_only_dates_the_story() -> None:
    e = covid("Ny bager åbner i Vejle", "Han fik idéen under coronakrisen og åbner nu butik.")
    assert not e.named


def test_a_sources_clause_after_a_comma_ends_no_list() -> None:
    title = "Børnene blev hårdt ramt af coronakrisen, konkluderer rapport, som kritiseres"
    assert covid(title).strong
    # a real list of many things still demotes the headline hit
    assert not covid("Han taler om corona, klima, skat og velfærd").strong


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Stoltenberg og polsk præsident mødes om nedslaget", 0),  # a person
        ("Tyrkiet blev en sten i skoen for Nato og svenskerne", 0),  # the alliance
        ("Regionen kasserer mundbind og visirer for millioner", 1),  # a measure
    ],
)
def test_a_person_the_alliance_or_a_measure_beside_a_common_noun_is_a_subject(
    title: str, topic: int
) -> None:
    assert row(title)[topic].strong


@pytest.mark.parametrize(
    "title",
    [
        "Krig og corona kaster skygge over topmødet",
        "Inflation og coronavirus pressede butikkerne",
        "Ny coronavariant og blodige dyreøjne: dagens vigtigste nyheder",  # a variant: the disease
    ],
)
def test_the_disease_beside_a_common_noun_names_circumstances(title: str) -> None:
    e = covid(title)
    assert e.named and not e.strong


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Hun arbejdede for Nato under Kosovo-krigen – nu bliver hun rektor", 0),  # a hyphen
        ("Han flygtede fra Kabul – i dag driver han tre restauranter", 2),  # "i dag" as "nu"
        ("Startede firmaet under nedlukningen – i dag har det 40 ansatte", 1),
        ("Under corona: 300 gæster om dagen. I går: 8.000 i zoo", 1),
    ],
)
def test_the_past_part_of_a_then_now_headline_is_no_subject(title: str, topic: int) -> None:
    assert not row(title)[topic].strong


def test_a_comparison_with_the_time_of_an_event_only_dates_the_story() -> None:
    assert not row("Forsvaret får flere penge end under krigen i Afghanistan")[2].named
    # the event after "end" alone is what is compared: it may be the subject
    assert row("Intet er vigtigere end krigen i Afghanistan")[2].strong


@pytest.mark.parametrize(
    "title",
    [
        "Corona, influenza og RS-virus: Lægerne frygter en hård vinter",
        "Forsker vil bremse corona og influenza med nyt forsøg",
        "Færre skal vaccineres mod influenza og covid-19 i år",
    ],
)
def test_the_disease_among_other_diseases_is_a_subject(title: str) -> None:
    assert covid(title).strong, title


def test_only_a_list_of_diseases_is_a_list_of_one_kind() -> None:
    # unrelated things around the disease, or a disease outside the list's clause
    assert not covid("Krig, corona og inflation tynger forbruget").strong
    assert not covid("Influenza: Han taler om corona, klima, skat og velfærd").strong
    # Denmark's wars listed together are a soldier's record, not a story of each war
    assert not row("Veteran fra Irak, Afghanistan og Mali stiller op til valget")[2].strong


def test_a_body_that_repeats_the_headline_is_no_second_mention() -> None:
    title = "Forskere vil ruste landet mod oversvømmelser, cyberangreb og coronakriser"
    assert not covid(title, title).strong  # a list's item, read once
    assert covid(title, title + " Det siger to forskere om coronakriser.").strong
    # the masked body the context model reads is empty too
    pair = prepare(KeywordClassifier(RULES), Document(title, " " + title.upper()))[0]
    assert pair[1] == ""


@pytest.mark.parametrize(
    "title",
    [
        "Kendt coronaekspert fyret efter sag om chikane",
        "Tidligere covid-19-koordinator bliver direktør i medicinalfirma",
        "Tidligere coronaminister vinder valget på New Zealand",
        "Tidligere coronachef i Sundhedsstyrelsen bliver formand for Hjerteforeningen",
    ],
)
def test_one_person_described_by_a_pandemic_role_is_the_story(title: str) -> None:
    e = covid(title)
    assert e.named and not e.strong, title


def test_the_role_named_again_in_the_body_is_still_one_person() -> None:
    # a story introduces its person by the role and names it again: still one mention
    title = "Tidligere coronaminister vinder valget på New Zealand"
    e = covid(title, "Han var landets covid-19-minister fra 2020 til 2022.")
    assert e.named and not e.strong
    # the disease named beside the role is a second mention
    assert covid(title, "Han ledede landets kamp mod corona fra 2020.").strong


def test_the_field_or_the_role_beside_news_of_the_disease_stays_strong() -> None:
    assert covid("Coronaeksperterne advarer mod ny bølge").strong  # plural: the field
    assert covid("Coronaekspert: Smitten stiger igen", "Smitten med corona stiger.").strong


@pytest.mark.parametrize(
    "title",
    [
        "Ølgiganten bag Corona hæver priserne",  # a brand after a word in lower case
        "Porto-stjernen Corona skifter klub",
        "Corona Seaways er tilbage i fart efter motorskaden",  # before another name
        "Esbjerg slog rumænske Corona Brașov",
        "Mexicansk maler Lucía Corona får sin første udstilling",  # after a given name
        "Grundejerforeningen Corona i Hvidovre fejrer 75 år",  # an association
        "Kunstværket 'Corona' handler om solen",  # a work of art
        "Hvalpen Corona fulgte med soldaterne hjem fra Mali",  # a pet's young
        "Tandklinik Corona i Silkeborg skifter navn",  # a business
        "Selskabslokalet Corona i Vejle lukker efter 40 år",
        "Orkidéen Corona blomstrer for første gang i 12 år",  # a plant's variety
        "Begravelsesforretningen Corona i Horsens skifter navn",  # more shops and animals
        "Bager Corona i Valby fejrer 50 år",
        "Kino Corona i Tårnby lukker efter 61 år",
        "Danske familier snydt af falsk booking hos 'Camping Corona'",
        "Mexicanske Luisa Corona vandt 10 kilometer i åbent vand",  # a nationality, a name
        "Ny træner i Nantes: Spanske Raúl Corona afløser",
    ],
)
def test_corona_written_as_a_name_names_no_topic(title: str) -> None:
    assert not covid(title).named, title


@pytest.mark.parametrize(
    "title",
    [
        "Corona rammer Danmark hårdt",  # the disease starts the headline in lower case after
        "Smittet med Corona Virus",  # a word of the disease follows
        "Corona Cases Rise Again Across Italy",  # English title case capitalises every word
        "Danmark Corona kan give diabetes",  # a scraped section label before it
        "Videnskab Abonnement Corona, influenza og RS-virus rammer samtidig",  # two labels
        "Italy locks down again as Corona cases soar",  # a word of the disease follows
    ],
)
def test_corona_as_the_disease_stays_named(title: str) -> None:
    assert covid(title).strong, title


def test_a_bar_named_corona_is_not_the_disease() -> None:
    assert not covid("Bar Corona på Nørrebro mister bevillingen efter skudepisode").named
    assert covid("Barer lukker: Corona rammer nattelivet").strong
    assert covid("En mærkbar Corona-effekt i regnskabet").strong  # "-bar" ends an adjective


def test_a_business_or_a_horse_named_after_kabul_is_not_the_city() -> None:
    assert not row("Kebabhuset Kabul får sur smiley")[2].named
    assert not row("Travhesten Kabul vandt igen")[2].named
    assert not row("Russisk-ejet væddeløbshest 'Kabul' udelukket fra løb")[2].named
    assert not row("19-årige Kabul fra Herat vinder EM i droneræs")[2].named  # a person's age
    assert not row("Mynden Kabul fundet i genbrugsbutikkens baglokale")[2].named
    assert not row("Kabul Supermarked i Gellerup udvider med slagterafdeling")[2].named
    assert not row("Rådmand i sag om gratis middage på Ristorante Kabul")[2].named
    assert row("Kaos i hovedstaden Kabul")[2].strong  # a word for a place introduces the city
    assert row("Evakuering fra lufthavnen i Kabul")[2].strong
    assert row("Oprørerne har erobret Kabul")[2].strong  # a participle before the city


def test_one_person_described_by_nationality_is_the_story() -> None:
    e = row("Afghansk mand idømt fængsel for røveri")[2]
    assert e.named and not e.strong
    # the plural reports on the country's people
    assert row("Afghanske kvinder må ikke længere studere")[2].strong


def test_a_veterans_wounds_or_compensation_are_the_wars_own_story() -> None:
    assert row("Afghanistan-veteran får erstatning for PTSD")[2].strong
    assert row("Afghanistan-veteran vinder sag om arbejdsskade efter ti års kamp")[2].strong
    assert row("Mindesten for faldne Afghanistan-soldat afsløret i Bøvlingbjerg")[2].strong
    # the same person in a story about something else stays a single mention
    e = row("Afghanistan-veteran åbner café i Viborg")[2]
    assert e.named and not e.strong


def test_the_help_a_veteran_gets_or_a_lead_that_tells_his_trauma_keeps_the_war_his_story() -> None:
    assert row("Afghanistan-veteran: Jeg fik først hjælp efter syv år")[2].strong
    lead = "Den 34-årige tidligere konstabel kæmper med PTSD efter to udsendelser. Nu maler han."
    assert row("Afghanistan-veteran fra Aabenraa åbner værested", lead)[2].strong
    lead = "Mikkel var 21 år, da hans deling blev ramt af en vejsidebombe. Nu fortæller han."
    assert row("Afghanistan-veteran: I ti år sov jeg med lyset tændt", lead)[2].strong
    # a compound names the trauma too ("krigstraumer", "traumatiseret")
    assert row("Afghanistan-veteran frifundet: Krigstraumer udløste slaget, mener retten")[2].strong
    lead = "Den traumatiserede tidligere konstabel blev i går idømt en betinget dom."
    assert row("Afghanistan-veteran slap med betinget dom", lead)[2].strong
    # the trauma told further down, after the lead's first sentence, changes nothing
    later = "Han har fundet roen bag ovnen. For ti år siden fik han PTSD."
    e = row("Afghanistan-veteran åbner bageri i Skive", later)[2]
    assert e.named and not e.strong


def test_the_diseases_infected_tests_and_vaccines_beside_a_common_noun_are_a_subject() -> None:
    """Only the disease's name and its periods name circumstances in a pair ("Krig og corona");
    a count of the infected is the story itself."""
    assert covid("Kort nyt: 1.204 nye coronasmittede og to dødsfald det seneste døgn").strong
    assert covid("Coronatest og mundbind bliver gratis igen").strong


def test_under_the_pandemic_after_a_likeness_with_samme_som_only_dates_the_story() -> None:
    title = "Leder: Klimakrisen fortjener den samme alvor, som vi viste under coronakrisen"
    assert not covid(title).named
    # a relative clause without a likeness reports what happened then
    assert covid("Firmaer, som fik hjælp under corona, skal betale tilbage").strong


def test_taliban_as_the_tail_of_a_compound_is_slang() -> None:
    assert not row("Anmelder: Vi er blevet et folk af kost-talibanere")[2].named
    assert row("Taliban-styret forbyder musik")[2].strong  # as the head: the movement


def test_taliban_as_a_common_noun_with_an_adjective_is_slang() -> None:
    assert not row("Debat: Det grønne taliban vil bestemme, hvad jeg spiser")[2].named
    # the movement after its country's or a time's adjective
    assert row("Det afghanske Taliban forbyder musik")[2].strong
    assert row("Det nye Taliban er som det gamle")[2].strong
    # the bare word after the indefinite article; a compound is the movement's
    assert not row("Debat: Sprogpolitiet er blevet et kulturelt Taliban")[2].named
    assert not row("Senator: Den yderste venstrefløj er 'et woke Taliban'")[2].named
    assert row("Et Taliban-styre truer pigernes skolegang")[2].strong


def test_a_related_term_in_the_keywords_list_does_not_corroborate_it() -> None:
    """ "overlevede corona, mink og Arne-pension": the list demoted the keyword; the related
    term beside it in that list is one more entry, not a second sign of the topic."""
    rules = (TopicRule("COVID-19", ("corona*",), related=("mink*",)),)
    kc = KeywordClassifier(rules)
    title = "Analyse: Frederiksen overlevede corona, mink og Arne-pension – men hvad nu?"
    (ev,) = prepare(kc, Document(title))[1]
    assert ev.named and not ev.strong and ev.related == ()
    # the same term elsewhere in the story still corroborates the single mention
    body = "Hun talte om corona. Siden kom sagen om mink."
    (ev,) = prepare(kc, Document("Statsministeren holdt tale", body))[1]
    assert [h.surface for h in ev.related] == ["mink"]


def test_a_related_term_in_the_clause_describing_the_keyword_does_not_corroborate_it() -> None:
    rules = (TopicRule("COVID-19", ("covid*",), related=("smitten",)),)
    kc = KeywordClassifier(rules)
    body = "Forbundet henviser til covid-19-perioden, hvor rengøringen holdt smitten nede."
    (ev,) = prepare(kc, Document("Rengøringen skal i udbud", body))[1]
    assert ev.named and not ev.strong and ev.related == ()
    # in a sentence of its own it is a second sign of the story
    body = "Forbundet henviser til covid-19-perioden. Nu stiger smitten igen."
    (ev,) = prepare(kc, Document("Rengøringen skal i udbud", body))[1]
    assert [h.surface for h in ev.related] == ["smitten"]


def test_a_body_that_writes_corona_as_a_name_settles_the_headlines_capital() -> None:
    body = "Bryggeriet hæver prisen på blandt andet Budweiser og Corona i butikkerne."
    assert not covid("Øl bliver dyrere: Corona stiger med ti procent", body).named
    # a given name before it in the body: a person
    assert not covid("Mål i overtiden", "Den mexicanske kantspiller Jesús Corona scorede.").named
    # the body names the disease as well, or not at all: the headline decides as before
    assert covid("Corona stiger igen", "Flere er smittet med corona end i sidste uge.").strong
    assert covid("Corona: Smitten stiger igen", "Forskerne i Aarhus: Corona smitter mere.").strong


def test_a_headline_opening_after_the_war_tells_what_came_next() -> None:
    """ "Efter Afghanistan: …" dates the story by the war; the story's own event stays."""
    assert not row("Efter Afghanistan: Danmark sender soldater til Irak")[2].strong
    assert not row("Efter Irak og Afghanistan: Forsvaret vil rekruttere hackere")[2].strong
    assert row("Efter Talibans magtovertagelse: Kvinder mister retten til skole")[2].strong
    assert row("Sådan gik det efter Afghanistan: Veteraner fortæller")[2].strong


def test_years_with_the_pandemic_are_a_span_of_time() -> None:
    """ "efter to år med corona" measures time; "med corona" alone is the illness."""
    assert not covid("Sygeplejerske efter to år med corona: Nu strejker jeg").strong
    assert not covid("Efter to år med corona: Folkemødet slår rekord").strong
    assert covid("Flere indlagt med corona end i sidste uge").strong


def test_the_pandemic_as_the_past_of_a_then_now_headline_is_a_single_mention() -> None:
    assert not covid("Coronaårene gav boom i jagtvåben – nu falder salget").strong
    assert not covid("Vestas-chef: Corona er glemt – nu er det renterne, der truer").strong
    assert covid("Coronaårene gav boom i jagtvåben").strong  # no "– nu": the subject
    # the illness someone caught is no period
    assert covid("Sangeren fik corona i sidste uge – nu kommer nye datoer").strong


def test_a_degree_compared_with_the_pandemic_measures_another_crisis() -> None:
    assert not covid("Danske eksportører: Tolden er værre end coronakrisen").strong
    assert not covid("Økonom: Energikrisen bliver værre for danskerne end corona").strong
    assert covid("Coronakrisen er værre end ventet").strong  # the topic compared itself
    assert covid("Intet har presset hospitalerne hårdere end coronakrisen").strong


def test_long_covid_is_the_illness_not_a_point_in_time() -> None:
    assert covid("Hver ottende har stadig senfølger efter covid-19").strong
    assert not covid("Butikkerne har travlt efter corona").strong  # still a time marker
    # ill or well again after it: a patient's words, no period
    assert covid("Ny podcast giver stemme til dem, der aldrig blev raske efter covid").strong
    assert covid("Han er stadig syg efter corona").strong
    assert covid("Sådan kom hun sig efter covid-19").strong


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Dronningen fylder 85: Fra tronskiftet til coronatalen", 1),
        ("Bidens fire år: Fra Afghanistan til Gaza", 2),
        ("Folkemødet på Bornholm: Fra Nato til trivsel i folkeskolen", 0),
        ("Se listen: Her frarådes alle rejser – fra Afghanistan til Yemen", 2),
        ("Ny podcast: Alt fra Nato til natmad", 0),  # "everything from … to …"
        ("Fotografen, der dækkede krige fra Kabul til Gaza, lægger kameraet", 2),  # a career
    ],
)
def test_an_end_of_a_range_opening_a_clause_is_a_single_mention(title: str, topic: int) -> None:
    e = row(title)[topic]
    assert e.named and not e.strong


def test_a_route_or_a_time_from_which_is_no_range() -> None:
    assert row("Fly fra Kabul til Istanbul genoptaget")[2].strong
    assert covid("Fra i morgen kan alle købe sig til boostervaccination mod covid-19").strong


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Tidligere Afghanistan-kaptajn bliver ny direktør i softwarehus", 2),  # by rank
        ("Nato-officer skal redde skiforbundets økonomi", 0),  # "tidligere": background
        ("Tidligere Afghanistan-korrespondent bliver ny nyhedschef", 2),  # by reporting post
        ("Terrortiltalt var tidligere udsendt til Afghanistan", 2),  # service as a verb
        ("Ny hospitalsdirektør har været militærlæge i Afghanistan", 2),
        ("Brandchef: »Jeg har været i Afghanistan, men aldrig set noget lignende«", 2),
        ("Firmaet startede med minerydning i Afghanistan – nu køber det konkurrent", 2),
    ],
)
def test_one_person_by_rank_or_post_and_a_firms_past_are_single_mentions(
    title: str, topic: int
) -> None:
    e = row(title)[topic]
    assert e.named and not e.strong


def test_the_officers_and_the_firms_of_the_topic_as_such_stay_its_subject() -> None:
    assert row("Afghanistan-officer såret i baghold")[2].strong  # what the war did to him
    assert row("Taliban tog magten – nu flygter tusinder")[2].strong  # no portrait


def test_a_beer_brand_or_a_nicknamed_player_named_corona_is_not_the_disease() -> None:
    assert not covid("Ølmærket Corona bliver hovedsponsor for ATP-turnering").named
    body = "Den mexicanske kantspiller Jesús 'Tecatito' Corona lavede det afgørende mål."
    assert not covid("Corona sender Porto videre i Champions League", body).named


def test_a_new_coronavirus_the_body_calls_mers_is_another_member_of_the_family() -> None:
    """MERS was "et nyt coronavirus" from 2012; from the end of 2019 a new coronavirus is
    covid-19's, and its early reports name MERS as a relative."""
    title = "Nyt coronavirus breder sig i Saudi-Arabien"
    lead = "Myndighederne har registreret 15 dødsfald fra det virus, der nu kaldes MERS."
    undated = covid(title, lead)
    assert undated.any and not undated.named
    ev = prepare(KeywordClassifier(RULES), Document(title, lead, published=date(2013, 5, 2)))[1]
    assert not ev[1].named
    relative = "Det nye coronavirus fra Wuhan er i familie med SARS og MERS."
    ev = prepare(
        KeywordClassifier(RULES),
        Document("Nyt coronavirus i Kina", relative, published=date(2020, 1, 21)),
    )[1]
    assert ev[1].strong
    # a document that names the disease itself stays about it, whenever it is from
    assert covid("MERS og covid-19: to coronavirus", "Covid-19 smitter lettere end MERS.").strong
    # and the family's word without MERS is the disease, as before
    assert covid("Nyt coronavirus breder sig", "Flere lande lukker grænserne.").strong


def test_a_season_named_after_the_pandemic_is_a_period() -> None:
    """ "efter to coronavintre" dates a flu story as "efter to coronaår" does."""
    ev = covid("Forkølelserne er tilbage efter to coronavintre")
    assert ev.any and not ev.named
    assert covid("Coronavinteren bliver hård, advarer SSI").strong  # the season as the subject


def test_a_fact_checks_answer_is_no_list() -> None:
    """ "Nej, Nato …": the comma after the answer opens no list of two."""
    assert row("Nej, Nato har ikke lovet Ukraine medlemskab i år")[0].strong
    assert row("Ja, covid-19 kan smitte gennem luften indendørs")[1].strong
    assert not row("Sverige, Nato og EU mødes om Østersøen")[0].strong  # a list stays one


def test_a_lone_comma_before_the_topic_opens_a_clause_not_a_list() -> None:
    assert row("Her er de tre ting, Nato-topmødet i Vilnius skal levere")[0].strong
    assert row("Faktatjek: Nej, Nato har ikke sendt soldater til Gaza")[0].strong
    # another item before it, or the list going on after it, make a list of three
    for title in (
        "Partiet vil have atomkraft, fri cannabis, Nato",
        "Partiet støtter atomkraft, Nato, fri cannabis og borgerløn",
    ):
        assert not row(title)[0].strong, title


def test_a_digests_items_may_carry_a_word_of_quantity_or_open_a_compound() -> None:
    for title in (
        "Dagens overblik: Nato-topmøde, nye coronatal og badmintonfinale i Odense",
        "Ugens overblik: Ny handicaplov, færre coronaindlæggelser og elevatorkaos i metroen",
    ):
        nato, covid19, _ = row(title)
        assert not nato.strong and not covid19.strong, title
    # the last entry may place the topic with one noun before it
    for title in (
        "Hotellerne mangler kokke: Løn, vagtplaner og årene med corona får skylden",
        "Dagens program: Skolereform, vejarbejde og besøg fra Nato",
        "Vejret i nat: Glatte veje, tåge over Fyn og en Nato-konvoj på E20",  # an article
        "Ministermøde: Handel, klima og flygtninge fra Afghanistan på dagsordenen",
    ):
        assert not any(e.strong for e in row(title)), title
    # a conjunction after the comma opens a clause, where the alliance is a subject
    assert row("Analytiker: Russerne ser på, mens Nato og Ukraine diskuterer")[0].strong
    assert row("Debat: Skal Danmark bruge 3,5 procent, som Nato kræver?")[0].strong


def test_a_country_in_the_middle_of_a_body_list_is_one_of_many() -> None:
    lead = "Tørken rammer lande som Somalia, Kenya, Afghanistan og Peru hårdest."
    ev = row("FN: Millioner mangler mad efter tørke", lead)[2]
    assert ev.any and not ev.named
    # a list that goes on with a common noun is no list of countries
    lead = "Hjælpen går til Somalia, Afghanistan og flygtningelejrene i regionen."
    assert row("FN: Millioner mangler mad efter tørke", lead)[2].named


def test_the_past_told_in_a_relative_clause_before_a_present_main_clause() -> None:
    """ "X, der gjorde Y under coronakrisen, gør nu Z": the clause tells X's past."""
    ev = covid("Samme firma, der tjente millioner under coronakrisen, sælger nu solceller")
    assert ev.any and not ev.in_title
    assert covid("Smitten steg under coronakrisen, viser ny opgørelse").strong


def test_an_indefinite_business_noun_opens_a_name() -> None:
    assert not row("Pizzeria Kabul i Vejle har fået ny ejer")[2].named
    assert not covid("Kiosk Corona på Nørrebro lukker efter 40 år").named
    assert row("Grill og bar lukket i Kabul efter Talebans nye regler")[2].strong


def test_one_person_described_by_nationality_or_origin_is_a_single_mention() -> None:
    """The person is the story ("29-årig afghansk mand fængslet for knivstik", "Mand fra
    Afghanistan nægter …"); the country's people, or the country itself, are not."""
    for title in (
        "29-årig afghansk mand fængslet for knivstik",
        "Mand fra Afghanistan nægter at have stukket sin ven ned i Odense",
    ):
        ev = row(title)[2]
        assert ev.named and not ev.strong, title
    assert row("Afghanske kvinder må ikke studere")[2].strong
    assert row("Tusinder flygter fra Afghanistan")[2].strong


def test_a_compound_of_likeness_is_a_simile() -> None:
    """ "Taliban-lignende tilstande" compares a school's rules with the Taliban's."""
    assert not row("Debattør: 'Det er jo Taliban-lignende tilstande'")[2].named
    assert not row("Debattør: 'Det er jo talibanlignende tilstande'")[2].named
    assert row("Taliban indfører nye regler for kvinder")[2].strong


def test_a_place_at_the_alliances_border_is_placed_by_it() -> None:
    assert not row("Russisk brigade ved Natos grænse er næsten tømt for soldater")[0].named
    assert not row("Kreml samler tropper langs Natos østgrænse")[0].named
    assert row("Nato sender flere soldater til sin østgrænse")[0].strong
    assert row("Natos grænse skal forsvares, siger Rutte")[0].strong


def test_a_comparison_with_the_period_dates_another_storys_figure() -> None:
    assert not covid("Rekordmange i sommerhus – flere end i coronasommeren").named
    assert not covid("Færre passagerer end under coronakrisen").named
    assert covid("Coronakrisen er værre end ventet").strong


def test_a_bar_of_the_name_is_written_with_its_capital() -> None:
    """Lower-case "bar" beside the name is a verb: English "to bar", Danish "bore"."""
    assert row("Taliban bar girls from secondary schools")[2].strong
    assert row("Soldater fra Afghanistan bar resistente bakterier med hjem")[2].strong
    assert not covid("Corona Bar i Odense får ny ejer").named
    assert not covid("Slagsmål foran Bar Corona i Aalborg").named
    assert not covid("Bar Corona lukker efter 40 år").named


def test_the_period_or_country_after_a_verb_of_comparison_is_a_yardstick() -> None:
    for title in (
        "Fugleinfluenza på svinefarme: »Det minder om de første uger med corona«",
        "Køen til vægttabspiller minder om vaccinekøerne under corona",
        "Mpox kan ikke sammenlignes med covid, siger overlæge",
        "Tre gange så mange vinterbadere som før corona",
    ):
        assert not covid(title).named, title
    assert not row("Byrådsmedlem: »Vejen ligner noget fra Afghanistan«")[2].named
    assert not row("Lige så mange værnepligtige som under Afghanistan-krigen")[2].named
    # a measure reminded of, the alliance's own promise, a clause: no comparison
    assert covid("Politiet minder om coronareglerne").strong
    assert row("Rutte minder om Natos løfte til Ukraine")[0].strong
    assert covid("Det ligner, at corona er på vej tilbage").strong


def test_one_persons_past_service_told_by_a_verb_is_a_single_mention() -> None:
    for title in (
        "Drabssigtet 34-årig var udsendt til Afghanistan",
        "Byrådskandidat har været officer i Nato i 20 år",
        "Veteran fra Afghanistan vinder Robinson Ekspeditionen",
        "Senatet godkender Hegseth: Veteranen fra Irak og Afghanistan bliver forsvarsminister",
        # a military doctor, and a description closed by the participle
        "Tidligere Afghanistan-læge skal stoppe superbakterier i Region Midt",
        "Tidligere feltlæge i Afghanistan vil lære danskerne at holde sig raske",
        "Årets Frivillige er redningsmand fra Skagen og tidligere udsendt til Afghanistan",
        "Soldat reddede druknende dreng – han var netop hjemvendt fra Afghanistan",
        # service in two places, and the deployments counted
        "Ny forsvarschef har været udsendt til både Afghanistan og Irak",
        "Mand, der har været udsendt til Irak og Afghanistan, dømt for momssvindel",
        "Sygeplejerske med to udsendelser til Afghanistan: Akutmodtagelserne er værre",
        # a former one, also in command
        "Ny provst i Viborg er tidligere feltpræst i Afghanistan",
        "Ny chef for flådebasen var tidligere øverstbefalende i Kabul",
        # born there, told in a compound as "født i Kabul" is
        "Kabul-født arkitekt tegner nyt rådhus i Herning",
        "Afghanistan-født forfatter får Politikens Litteraturpris",
        # a former spokesman, and a post in the person's past
        "Tidligere Nato-talsmand debuterer som stand-up-komiker",
        # and any former post of the alliance's or the war's staff
        "Tidligere Nato-planlægger skal lede Beredskabsforbundet",
        "Golfklubben vælger tidligere Afghanistan-general som formand",
        "Kandidat med fortid som rådgiver i Nato stiller op til byrådet",
        # a past there the person has
        "Ny direktør i Nationalbanken har en fortid i Natos hovedkvarter",
        # work there, in a job or for another employer; a former pilot
        "Ny direktør i Sundhedsstyrelsen har arbejdet som læge i Afghanistan og Sydsudan",
        "Ny direktør for dyreparken har arbejdet for FN i Kabul og Nairobi",
        "Ny lufthavnsdirektør er tidligere Afghanistan-pilot",
        # fetched from a post there, any former post there, grown up there
        "Regionens nye smittechef hentes fra Nato-hovedkvarteret i Bruxelles",
        "Ny chef for Den Kongelige Livgarde kommer fra Nato-staben i Brunssum",
        "Ny direktør i Vejdirektoratet kommer fra en stilling i Natos hovedkvarter",
        "Ny direktør i Energistyrelsen er tidligere jurist i Natos hovedkvarter",
        "Landsholdets nye målmand voksede op i Kabul",
        "Årets iværksætter kom til Danmark fra Afghanistan som niårig",  # the arrival
        # a civilian trade for an employer, an adviser; a former rank in apposition
        "Ny overlæge i Vejle var sygeplejerske for Forsvaret i Afghanistan",
        "Ny borgmester var tidligere rådgiver i Nato",
        "Efterskolen får ny forstander – tidligere kaptajn udsendt til Afghanistan",
        # a country's newly appointed
        "Islands nye udenrigsminister kommer fra Natos hovedkvarter",
        # a former post there opening the headline, also with its unit
        "Tidligere chef for de danske styrker i Afghanistan bliver formand for Øjenforeningen",
        "Tidligere udsending til Afghanistan bliver britisk ambassadør i Islamabad",
        "Tidligere landedirektør i Kabul bliver chef for festivalens velgørenhed",
        # the maker of a work about it
        "Forfatter til bog om evakueringen fra Kabul debuterer med krimi",
        "Instruktøren bag dokumentaren om kvinder i Kabul laver nu film om Grønland",
        # what the one newly appointed has done before, in the perfect of any verb; a
        # delegation of a country, a firm where the person worked on it
        "Ny chef for Søværnet har sejlet konvojer ud for Afghanistan",
        "Museets nye direktør har undervist officerer fra Nato i ledelse",
        "Banedanmarks nye direktør kommer fra Norges Nato-delegation",
        "Novos nye forskningschef kommer fra Pfizer, hvor hun ledte arbejdet med coronavaccinen",
        # the newly appointed with an adjective before the post; a post of a deployment
        "Ny georgisk forsvarschef har tjent i Irak og Afghanistan",
        "Ny styrelsesdirektør var udsendt som civil rådgiver i Kabul",
        "Vuggestuelederen var sanitetssoldat i Afghanistan: »Jeg har lært at bevare roen«",
    ):
        assert not any(e.strong for e in row(title)), title
    # the perfect of the one newly appointed: the mention is single, a body still decides
    assert row("Ny forsvarsminister har besøgt soldaterne i Afghanistan")[2].named
    # unless the headline tells what the service did to the person; the forces as such
    assert row("Veteran var udsendt til Afghanistan: Nu får han erstatning for PTSD")[2].strong
    assert row("Veteraner fra Afghanistan får ny erstatningsordning")[2].strong
    assert row("Soldaterne er vendt hjem fra Afghanistan")[2].strong
    assert row("Afghanistan-piloterne flyver de sidste tolke ud")[2].strong  # the forces
    assert row("Flygtning var læge i Kabul og får dansk autorisation")[2].strong  # his own
    assert row("Kabul er tidligere blevet ramt af jordskælv")[2].strong  # the city itself
    # a former interpreter or judge from there is an Afghan, whose own story it is
    assert row("Tidligere tolk for danske soldater i Kabul får afslag på asyl")[2].strong
    assert row("Tidligere dommer fra Kabul går nu på sprogskole i Holbæk")[2].strong
    assert row("Ny bog om evakueringen fra Kabul: Sådan gik de sidste dage")[2].strong  # the work
    assert covid("Corona-fødte børn taler senere, viser studie").strong  # the period's effect
    assert row("Taliban-talsmand afviser FN's rapport")[2].strong  # speaks for the movement


def test_round_26_names_likenesses_and_ranges() -> None:
    # a Danish headline full of names is no English title case: "Corona Hill" is a horse
    assert not covid("Corona Hill tager Dansk Trav Derby efter fotofinish").named
    assert covid("Corona Cases Rise in the US").strong  # English title case: the disease
    # "er som" before the name itself is a likeness; "er som Nato-medlem" is a role
    assert not row("Landstræner: »Vi er som Nato – angriber man én, angriber man alle«")[0].named
    assert row("Sverige er som Nato-medlem forpligtet til at hjælpe")[0].strong
    # a country's situation as the picture; a measure by the alliance's
    assert not row("Soldatermødre: Vores sønner bliver kanonføde som i Afghanistan")[2].named
    # in a body "som" opens a relative clause as often as a likeness
    body = "Tolkene, som i Afghanistan hjalp soldaterne, hædres. De tolke som i Afghanistan hjalp."
    assert row("Tolkene hædres", body)[2].strong
    body = "Det er tre gange så meget som Natos mål for medlemslandene."
    assert not row("Ruslands militærudgifter når 6 procent af BNP", body)[0].named
    # an end of a range may hold two things
    ev = row("Åbningstalen: Fra corona og Kabul til klima og ældrepleje")[2]
    assert ev.named and not ev.strong


def test_a_topic_word_in_a_short_quote_is_a_single_mention() -> None:
    for title in (
        "Aktivister dømt for at male 'Nej til Nato' på kasernemuren i Viborg",
        "Byrådet kalder det »en lille Nato«: Ni kommuner lover at hjælpe hinanden",
    ):
        nato = row(title)[0]
        assert nato.named and not nato.strong, title
    assert covid("Internaterne er fyldt med 'coronahunde'").named
    assert not covid("Internaterne er fyldt med 'coronahunde'").strong
    # what somebody said or shouted, a word banned, and a longer quote stay the subject
    assert covid("Mand dømt for at hoste ad betjente: 'Jeg har corona'").strong
    assert covid("Turkmenistan forbyder ordet »coronavirus« i aviserne").strong
    assert row("Stoltenberg advarer: »Nato står over for sin største prøve«")[0].strong


def test_a_meeting_travelled_to_or_from_is_where_the_person_is() -> None:
    for title in (
        "Ministerbil fanget i fartfælde på vej til Nato-møde",
        "Løkke vil forhandle finanslov, når han er hjemme fra Natos topmøde",
        "Forsvarsministeren direkte fra Nato-møde til Champs-Élysées",
    ):
        nato = row(title)[0]
        assert nato.named and not nato.strong, title
    # live coverage from the summit, and a place travelled to, stay the subject
    assert row("TV 2 sender direkte fra Nato-topmødet i Haag")[0].strong
    assert row("Danske soldater på vej til Afghanistan")[2].strong


def test_a_digest_lists_its_stories() -> None:
    title = "Morgenoverblik: Skybrud i Aalborg – nye coronatal – Nato-møde – DSB aflyser tog"
    nato, covid_ = row(title)[0], row(title)[1]
    assert nato.named and not nato.strong
    assert covid_.named and not covid_.strong
    for title in (
        # middle dots or bullets, and an overview's commas, part a digest too
        "Kulturugen: Ny revychef · Nato-chef får ærespris · Musical forlænget",
        "Morgenens nyheder: Skadestuen lukker • Nato-topmøde i Haag • Lange ventelister",
        "Nyhedsoverblik: Jordskælv i Japan, Nato-ministre mødes i Bruxelles, ny regering i Seoul",
        # a desk's column of the week's news lists three stories in Danish form, one comma
        "Ugens spilnyt: Ny Lotto-rekord, odds på Nato-topmødet og ludomanikampagne for unge",
        "Dagens medienyt: Ny vært på P1, Nato-podcast vinder pris og TV 2 skærer ned",
        "Asien kort: Tyfon rammer Manila, valg i Sri Lanka, Nato-chef besøger Tokyo",
        # the day's and a place's news, and a desk's items "in brief"
        "I dag: Pressefoto kåres, Natos generalsekretær besøger København, og ny vaccine",
        "Nyt fra Thy: Ny formand i surfklubben, vejarbejde i Hanstholm og Nato-fly i aften",
        "Sport i korte træk: Bowlingbronze, Nato-soldater løber maraton, dartklub søger lokaler",
        # a later item of an overview's three in Danish form, or of a column's picks
        "Overblik: Brand på kollegium i Odense, Natos generalsekretær i Vilnius og nye SU-regler",
        "Ugens bøger: En krimi fra Skagen, en Nato-thriller og en kogebog med kål",
        # a desk's column with no word of time, and a briefing
        "Havnenyt: Ny færge til Læsø, dyrere billetter, og Nato-skibe anløber Frederikshavn",
        "Morgenbriefing: Storm over Fanø, Nato-øvelse lukker vej ved Oksbøl, og regn i hele landet",
    ):
        nato = row(title)[0]
        assert nato.named and not nato.strong, title
    # a comma straight before "og" joins two clauses of one story: no third item
    assert covid("I dag: Testcentrene lukker, og coronapasset ryger ud af appen").strong
    # the first item may be the lead; a column's one picture is its subject
    assert row("Kort nyt: Nato-topmøde i Vilnius, hedebølge i Sydeuropa og ny landstræner")[
        0
    ].strong
    assert row("Ugens tegning: Erdogan holder Sveriges Nato-ansøgning som gidsel")[0].strong
    assert row("I aften: Stoltenberg gør status i stort interview")[0].strong  # no list
    # any label from a place
    title = "Dagens nyheder fra Lolland-Falster: Skovbrand, kommunens corona-regnskab og ny formand"
    assert covid(title).named and not covid(title).strong
    # its two stories, and a general label's one comma, may be one story's parts
    assert row("Ugens forsvarsnyt: Nato-topmøde i Haag og ny forsvarschef")[0].strong
    assert row("Kort nyt: Nato-topmøde i Vilnius, hedebølge og ny landstræner")[0].strong
    # an overview of one story's details, and one dot, leave the subject as it was
    assert covid("Overblik: Her er reglerne for mundbind i bus, tog og metro").strong
    assert row("Nato · Topmødet i Haag begynder")[0].strong
    # an aside between a pair of dashes leaves the headline's subject as it was
    assert row("Nato – alliancen, Trump kalder forældet – holder topmøde i Haag")[0].strong
    assert covid("Mundbind – også af stof – skal bæres i bus og tog").strong
