"""A topic word written as the name of something else: a business, an animal, a ship, a band
("Kebabrestauranten Kabul", "Travhesten Nato", "Helmand på Nørrebrogade"), or a capitalised
"Corona" in mid-sentence (the beer, a club, a person). Such a hit names no topic at all, unlike
a passing mention (`classifiers.passing`), which names the topic but not as the subject.
"""

from __future__ import annotations

import re

from classifiers.places import COUNTRIES
from classifiers.terms import Hit

__all__ = [
    "CAPITAL_AFTER",
    "bar_beside",
    "is_georgian_name",
    "is_italian_born",
    "is_name",
    "is_name_before_capital",
    "names_a_georgian",
    "names_a_thing",
    "opens_a_name",
    "title_case",
]


# A capitalised "Corona" inside a sentence is a name: Danish and English news write the disease
# in lower case there ("smittet med corona", "as corona cases rise"), so "Corona" after a word
# in lower case is a brand, a ship, a club or a person ("Ølgiganten bag Corona nedjusterer",
# "Odense knuste rumænske Corona Brașov", "keeper Corona"); so is "Corona" before another
# capitalised word ("Corona Seaways sat ud af drift", "Corona Camping"), unless every word of
# the headline is capitalised (English title case, "Corona Cases Rise"). In the shared
# corpora's 75,375 documents the only such use is "Corona Camping", a campsite. A following
# word of the disease or its measures ("the Corona virus", "as Corona cases rise", "Corona
# test") keeps it the disease.
# The name may be quoted ("en udtjent færge med navnet 'Corona'"); not in »«, which quote speech.
_LOWER_WORD_BEFORE = re.compile(r"(?<![^\W_])[a-zæøåäöüé0-9][\w'-]*\s+['\"‘“]?$")
# (a nickname in quotes counts: "Jesús 'Tecatito' Corona")
_NAME_BEFORE = re.compile(r"(?<=\s)(?<![.!?:»\"'–-]\s)['\"]?[A-ZÆØÅ][\w'-]*['\"]?\s+$")
CAPITAL_AFTER = re.compile(r"\s+[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéè]")
_DISEASE_AFTER = re.compile(
    r"[\s-]*(?:virus|krise|crisis|pandemi|pandemic|epidemi|outbreak|smitte|tilfælde|case"
    r"|death|patient|test|vaccin|restriktion|restriction|nedlukning|lockdown|infection|wave)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'-]*")
# A business, an animal or a band named after the city: "Kebabrestauranten Kabul", "Bar Corona",
# "travhesten Kabul" (the thing named in the definite form just before the name). Only such
# nouns: a verb's participle before the city ("Taliban har indtaget Kabul", "erobret Kabul")
# ends the same way, and "hovedstaden Kabul" introduces the city itself.
_NAMED_THING_BEFORE = re.compile(
    # a whole word: "mærkbar", "kostbar" are not bars; the indefinite noun opens a business's
    # name ("Pizzeria Kabul i Randers", "Kiosk Corona på Vesterbro")
    r"(?:(?<![^\W_])(?:café|cafe|hotel|pizzeria|kiosk|grill|camping|bager|slagter|købmand"
    r"|bodega|kino|ristorante|trattoria|osteria"
    # and a tradesman before his surname ("Tømrermester Stoltenberg fra Skive fylder 100 år")
    r"|tømrer|murer|maler|smed|snedker|vognmand|[^\W\d_]+mester)"
    r"|restauranten|restaurant|huset|butikken|grillen|baren|caféen|cafeen|hotellet|pizzeriaet"
    r"|kiosken|firmaet|selskabet|hesten|hoppen|hingsten|hunden|skibet|bandet|klubben"
    r"|band|rockband|rockbandet|popband|popbandet"  # "Ukrainsk rockband Kabul spiller på …"
    r"|ølmærket|bryggeriet"  # "Ølmærket Corona bliver hovedsponsor"
    # more boats, pets, beers and teams ("Fiskekutteren »Corona« sank", "Katten Kabul",
    # "øllen »Taleban IPA«", "Holdet 'NATO' vinder Fortnite-mesterskab")
    r"|båden|færgen|kutteren|trawleren|katten|øllen|holdet|koret"  # "Pigekoret Corona"
    r"|skonnert|skonnerten|galease|galeasen|briggen"  # "Skonnerten Corona forliste i 1894"
    r"|hvalpen|killingen|føllet|ponyen"  # "Hvalpen Corona fulgte med soldaterne hjem"
    # and the indefinite animal or business ("Russisk-ejet væddeløbshest 'Nato' udelukket",
    # "Tandklinik Corona i Silkeborg skifter navn", "Selskabslokalet Corona i Vejle lukker")
    r"|hest|hoppe|hingst|klinik|klinikken|lokalet|salon|salonen"
    # a plant's variety ("Orkidéen Corona blomstrer for første gang i 12 år")
    r"|orkidéen|rosen|tulipanen|sorten"
    # more shops, animals and artists ("Begravelsesforretningen Corona i Horsens", "Bageriet
    # Corona i Silkeborg", "Mynden Kabul", "Frieserhestene Nato og Nelly", "Æslet Covid",
    # "Rapperen Nato Baba")
    r"|forretningen|bageriet|mynden|hestene|hundene|hannen|hunnen|æslet|rapperen"
    # farm animals at shows and in breeding ("Tyren Nato er årets avlstyr", "Koen Corona")
    r"|tyren|koen|kalven|grisen|ornen|vallak|vallakken"  # "Den 24-årige vallak Kabul"
    # associations, works of art and songs ("Grundejerforeningen Corona fejrer 75 år",
    # "Kunstværket 'Corona' handler om solen", "sangen »Kabul«")
    r"|foreningen|kunstværket|værket|maleriet|skulpturen|installationen|operaen|sangen"
    # and the naming itself ("tvillingerne fik navnene Covid og Corona"), or a person's age
    # before the name ("19-årige Nato fra Tbilisi vinder EM i droneræs")
    r"|navnet|navnene|\d+-årige"
    # (the age spelled out: "Ni-årige Nato skal udvises til Georgien")
    r"|(?:to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten"
    r"|sytten|atten|nitten|tyve)-?årige"
    # a nickname or a call sign ("kommandant med kaldesignalet 'Taleban'", "Spillerne kalder
    # ham 'Taleban'", "Han kalder sig Nato") and the name said ("Hestekorpsets nye stjerne
    # hedder Nato")
    r"|kaldesignalet|kaldenavnet|øgenavnet|dæknavnet|hedder|kaldes|kaldt|kaldet|ved\s+navn"
    # (also in the past and the first person: "De kaldte mig Taleban på grund af mit skæg";
    # and "de kalder »Nato«")
    r"|kald(?:er|te)\s+(?:mig|os|ham|hende|sig|dem)(?:\s+for)?|(?:de|vi|man)\s+kalder"
    # ("Bandeleder kaldet »Talebanen« idømt otte år", "en hingst ved navn Nato"), and more
    # dogs, boats and cinemas ("Schæferen Nato skal snuse efter vildsvin", "Færøsk trawler
    # ”Corona” bugseret i havn", "Biografen Corona i Randers genopstår")
    r"|schæferen|labradoren|trawler|kutter|biografen"
    # and halls and studios ("Festsalen Corona i Nakskov lukker", "Solcenter Corona i Vejle")
    r"|festsalen|salen|solcenter|solcentret"
    r"|fartøjet"  # "Fiskefartøjet 'Nato' er havareret"
    # and in Norwegian and Swedish wires ("Utestedet Corona på Solsiden slått konkurs", "Hästen
    # Nato vinner V75-finalen")
    r"|utestedet|hästen"
    # and troupes, ensembles and circuses, and the favourite of a race ("Teatergruppen Omikron
    # fylder 25", "Ensemble Omikron vinder P2 Prisen", "Ungdomscirkus NATO får kommunal
    # støtte", "Favoritten Omikron skuffer stort i Svensk Derby"); only the artists' groups:
    # "oprørsgruppen Taleban" is the movement
    r"|teatergruppen|rockgruppen|popgruppen|dansegruppen|musikgruppen|ensemble|ensemblet"
    r"|kvartetten|orkestret|cirkus|cirkusset|favoritten"
    # and a revue, more animals, and one's own pet ("Studenterrevyen NATO fejrer 40 år",
    # "Kamelen Nato vinder det store løb", "Labradoodlen Nato", "hans kat Kabul")
    r"|revyen|kamelen|labradoodlen|puddelen|papegøjen"
    # and a young firm ("Estisk startup Omikron henter 20 millioner")
    r"|startup|startuppen"
    # (also somebody's by a genitive: "Bagerens hund Nato stak af med kransekagen",
    # "Militærpolitiets hund Nato går på pension"; all 18 such items of the trap file and the
    # blind rounds since are the animal)
    r"|(?:min|din|hans|hendes|sin|vores|deres|[^\W\d_]{3,}s)\s+(?:kat|hund|hest|hoppe|papegøje)"
    # a family's name, a literary work's, and a thing named after a person ("Familien Corona
    # har danset chilensk folkedans i 50 år", "Paul Celans digt »Corona«", "vin opkaldt efter
    # bedstemor Nato", "»Mit navn er Nato«")
    r"|familien|digtet|romanen|novellen|filmen|albummet|opkaldt\s+efter(?:\s+[^\W\d_]+)?"
    r"|navn\s+er)\s+"
    r"['\"»«‘“”]?$",  # the name may be quoted ("Væddeløbshesten 'Taleban' omdøbt")
    re.IGNORECASE,
)


# The word in quotes as what somebody is called ("Elever kaldte læreren 'Taleban' på
# Snapchat", "Senator kalder republikansk fløj for 'Taleban'", "kalder klimaaktivister for
# 'grønne taleban'"): an epithet, a name given, not the movement. Only in quotes: "kalder
# Taleban en terrororganisation" speaks of the movement.
_CALLED_IN_QUOTES = re.compile(
    r"(?<![^\W_])kald(?:er|te|t|et|es)\s+(?:[^\W\d_][\w-]*\s+){0,3}?['\"»«‘“”]"
    r"(?:[^\W\d_]+\s+)?$",
    re.IGNORECASE,
)


# A business at a street address: "Helmand på Nørrebrogade: Fem stjerner til lammespyd",
# "Kabul på Algade lukker". A province, a city or the alliance is never "on" a Danish street;
# a restaurant, a shop or a bar named after one is.
_AT_ADDRESS = re.compile(
    r"\s+på\s+[^\W\d_][\w-]*(?:gade|vej|torv|allé|alle|stræde|plads|boulevard|vænge)(?![^\W_])",
    re.IGNORECASE,
)


# A business's own noun after the name ("Kabul Supermarked i Gellerup udvider", "Nato Pizza"):
# the city or the alliance is never followed by one.
_BUSINESS_AFTER = re.compile(
    r"\s+(?:supermarked|kiosk|grill|pizza|pizzeria|restaurant|bazar|camping|café|cafe|shop"
    r"|import|kebab"
    # and a firm's trade or legal form ("håndsprit fra NATO Kemi", "Omikron Consulting fik
    # kontrakt", "Omikron Invest leverede fondens højeste afkast", "Omikron Elektronik i
    # Aarhus", "Kabul Holding ApS")
    r"|kemi|elektronik|invest|holding|group|consult|consulting|a/s|aps"
    # and more trades a small firm names itself by ("Direktør i Omikron Ejendomme dømt",
    # "Kabul Optik på Nørrebro", "Omikron Plast ApS", "Nato Transport", "Corona Rengøring")
    r"|ejendomme|ejendom|byg|rengøring|service|design|data|trans|trading|transport|clean|care"
    r"|optik|plast|frugt|records"
    # and a sports club's ("Afghanistan United fra Aarhus V får tilskud", "Kabul FC")
    r"|united|fc)(?![^\W_])",
    re.IGNORECASE,
)
# The name said after the word ("Nato er navnet på bibliotekets nye læsehund"), as "hedder
# Nato" before it.
_NAME_SAID_AFTER = re.compile(r"\s+(?:er|var|bliver|blev)\s+navnet\s+på(?![^\W_])", re.IGNORECASE)


# The word alone in quotes ("Klematis 'Corona'", "Dansk CS-spiller 'Nato' skifter til tysk
# organisation", "Kirkens ældste klokke, »Corona«, fylder 500 år", "kort som 'NATO',
# 'Marshallplanen' og 'Cubakrisen'"): a name, a nickname or a word as such, which quotes set
# apart. The alliance, the movement and the places are written without quotes when they are
# meant (in the trap file every such quoted word is a look-alike or a passing mention; a
# compound goes on inside the quotes, "»Nato-hav«", and stays).
_OPENING_QUOTES = frozenset("'\"‘“»«")
_CLOSING_QUOTES = frozenset("'\"’”«»")


def _quoted_alone(h: Hit, field_text: str) -> bool:
    end = h.start + len(h.word)
    return (
        h.start > 0
        and field_text[h.start - 1] in _OPENING_QUOTES
        and end < len(field_text)
        and field_text[end] in _CLOSING_QUOTES
    )


# "Bar" before or after the name is a business ("Bar Corona på Nørrebro", "Corona Bar i Vejle")
# only as the name's capitalised word: in lower case it is a verb, English "to bar" ("Taliban
# bar women from universities") or Danish "bore" ("Sårede soldater fra Afghanistan bar
# resistente bakterier med hjem"). In the trap file and blind rounds all 37 bars of the name
# write "Bar"; of the 10 lower-case "bar" beside a topic's word, 8 are the verb in a story of
# the topic, and the other two are settled by other rules (a watch strap, a Georgian's name).
_BAR_BEFORE = re.compile(r"(?<![^\W_])bar\s+['\"»«‘“”]?$")
_BAR_AFTER = re.compile(r"\s+(bar)(?![^\W_])")


def bar_beside(h: Hit, field_text: str) -> int | None:
    """Where the word "bar" stands right before or right after hit `h`, if it does: a bar of
    the name when the original writes it "Bar" (the caller reads the capitals)."""
    before = _BAR_BEFORE.search(field_text, max(0, h.start - 6), h.start)
    if before is not None:
        return before.start()
    after = _BAR_AFTER.match(field_text, h.end)
    return after.start(1) if after is not None else None


def names_a_thing(h: Hit, field_text: str) -> bool:
    """Whether hit `h` (a place, the alliance, "Corona") is the name of a business, an animal,
    a ship or a band ("Travhesten Nato vandt Dansk Trav Derby", "Kebabrestauranten Kabul",
    "Helmand på Nørrebrogade"). Any case: the nouns and the address say it, not capitals."""
    return (
        _NAMED_THING_BEFORE.search(field_text, max(0, h.start - 40), h.start) is not None
        or _quoted_alone(h, field_text)
        or _CALLED_IN_QUOTES.search(field_text, max(0, h.start - 60), h.start) is not None
        or _AT_ADDRESS.match(field_text, h.end) is not None
        or _BUSINESS_AFTER.match(field_text, h.end) is not None
        or _NAME_SAID_AFTER.match(field_text, h.end) is not None
    )


# English title case leaves only its small words in lower case ("Corona Cases Rise in the
# US"); a Danish headline full of names still has Danish words in lower case ("Corona Hill
# tager Dansk Trav Derby efter fotofinish": a horse).
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of off on or over per the to up via vs with".split()
)


def title_case(text: str) -> bool:
    """Whether `text` is an English headline in title case, whose capitals name nothing."""
    words = _WORD.findall(text)
    return (
        len(words) >= 3
        and sum(w[0].isupper() for w in words) * 2 > len(words)
        and all(w[0].isupper() or w in _SMALL_WORDS for w in words)
    )


# Nato is also a Georgian woman's name ("skuespillerinden Nato Vachnadze", "sagen om Nato
# Beridze"): capitalised, before a Georgian surname (their endings: -dze, -shvili, -ia, -ua,
# -ani, -eli, -ava, -uri). The alliance is never followed by a capitalised word of those endings.
# Or before where she comes from ("Nato fra Tbilisi er blevet Holbæks mest populære frisør",
# "Nato fra Georgien er årets sosu-assistent"): nobody writes the alliance as coming from
# Georgia or its cities (all 22 trap headlines with it are a woman's name).
_GEORGIAN_NAME_AFTER = re.compile(
    r"\s+[A-ZÆØÅ][a-zæøå]+(?:dze|dse|shvili|schwili|ia|ua|ani|eli|ava|uri)(?![^\W_])"
    r"|\s+fra\s+(?:Georgien|Tbilisi|Batumi|Kutaisi)(?![^\W_])"
)


_GEORGIAN_NAME = re.compile(r"(?<![^\W_])Nato(?:" + _GEORGIAN_NAME_AFTER.pattern + ")")


# In a headline, "Nato" before another capitalised word is the first word of a name, as
# "Corona" is (`is_name`): a horse, a band, a firm or a person ("Outsideren Nato Star vinder
# Dansk Derby", "Aarhus-bandet Nato Nation udgiver debutalbum", "Forbrugerombudsmanden advarer
# mod sms'er fra »Nato Credit«", "Spansk stjerne Nato Ferrer får rolle i dansk krimi"). A Danish
# headline writes the alliance's own things in lower case ("Natos topmøde", "Nato-landene"),
# except its bodies' English names ("Nato Response Force", "Nato Defense College", "Nato
# Secretary General", India's "Nato Plus"): the words that open those stay the alliance, and
# so does a country after it, the object of a question's verb ("Lovede Nato Rusland …?",
# "Sådan trak Nato Danmark ind i Afghanistan"). "NATO" in capitals is the wires' alliance
# ("NATO Article 4") and stays. Of the trap file's 243 such headlines 237 name no topic, and
# this reading leaves the other six to the topic. Only in a headline: a run-together body
# ("generalsekretær i Nato Anders Fogh Rasmussen", the one such use in the shared corpora)
# puts a name after the alliance.
# The variant's name is read the same way ("Rejsebureauet Omikron Travel går konkurs",
# "Privathospitalet Omikron Klinik", "IT-firmaet Omicron Systems", "Omikron Medical køber
# privathospital"): all 18 such trap headlines are no topic. A sub-lineage is written in
# capitals ("Omikron BA.5", "Omicron XBB"), which `CAPITAL_AFTER` does not take.
_NAMES_BEFORE_CAPITAL = frozenset({"Nato", "Omikron", "Omicron"})
_NAME_BEFORE_CAPITAL = re.compile(
    "(?:" + "|".join(sorted(_NAMES_BEFORE_CAPITAL)) + r")\s+[A-ZÆØÅÄÖÜÉ]"
)
_WORD_AFTER = re.compile(r"\s+['\"»«‘“]?([^\W\d_][\w'-]*)")
# First words of the alliance's bodies, commands, posts and programmes named in English.
_ALLIANCE_ENGLISH = frozenset(
    """
    air allied article command council defence defense force forces headquarters innovation
    maritime military mine mission naval operations parliamentary plus rapid response review
    school secretary special standing strategic summit support training
    """.split()
)


def opens_a_name(title: str) -> bool:
    """Whether raw `title` writes one of those words before a capital anywhere: a cheap test
    before the cased reading, as `names_a_georgian` is."""
    return _NAME_BEFORE_CAPITAL.search(title) is not None


def is_name_before_capital(h: Hit, cased_title: str) -> bool:
    """Whether headline hit `h` is "Nato" or the variant written as the first word of another
    name."""
    word = cased_title[h.start : h.end]
    if h.field != "title" or word not in _NAMES_BEFORE_CAPITAL:
        return False
    if CAPITAL_AFTER.match(cased_title, h.end) is None or title_case(cased_title):
        return False
    m = _WORD_AFTER.match(cased_title, h.end)
    after = m.group(1).lower() if m is not None else ""
    return (
        bool(after)
        and after not in COUNTRIES
        and (word != "Nato" or after not in _ALLIANCE_ENGLISH)
    )


# Italian for "born" opening a quoted title ("Italiens bidrag 'Nato libero' deler vandene",
# "Festival viser 'Nato a Casal di Principe'", "»Nato, allevato e macellato in Italia«"): an
# Italian word follows it, which no Danish or English phrase of the alliance's has. All 10 such
# trap items are no topic; the shared corpora have none.
_QUOTE_BEFORE = frozenset("'\"»“")
_ITALIAN_AFTER = re.compile(
    r",?\s+(?:a|di|in|per|nel|nella|nei|sul|sulla|con|libero|libera|allevato|e)(?![^\W_])"
)


def is_italian_born(h: Hit, field_text: str) -> bool:
    """Whether hit `h` (normalised `field_text`) is "nato" opening an Italian quoted phrase."""
    return (
        h.surface == "nato"
        and h.start > 0
        and field_text[h.start - 1] in _QUOTE_BEFORE
        and _ITALIAN_AFTER.match(field_text, h.end) is not None
    )


def names_a_georgian(text: str) -> bool:
    """Whether raw `text` writes "Nato" before a Georgian surname anywhere: a cheap test
    before the cased reading, which most articles naming the alliance need not pay for."""
    return _GEORGIAN_NAME.search(text) is not None


def is_georgian_name(h: Hit, cased_field: str) -> bool:
    """Whether hit `h` is "Nato" written as a Georgian given name before its surname."""
    return (
        h.surface == "nato"
        and cased_field[h.start : h.end] == "Nato"
        and _GEORGIAN_NAME_AFTER.match(cased_field, h.end) is not None
    )


# In a headline, a capitalised word between a word in lower case and "Corona" is a given name
# ("Mexicansk maler Lucía Corona får sin første udstilling"); a section label scraped before a
# headline ("Danmark Corona kan …") has no word in lower case before it.
_GIVEN_NAME_BEFORE = re.compile(
    r"(?:(?<![^\W_])[a-zæøåäöüé][\w'-]*"
    # or a nationality opening the headline ("Mexicanske Luisa Corona vandt 10 kilometer",
    # "Ny træner: Spanske Raúl Corona afløser"); a section label is a noun ("Videnskab
    # Abonnement Corona, influenza …")
    r"|(?:^|(?<=[:!?–-]\s))[A-ZÆØÅ][a-zæøå]+(?:ske|eren|erinden))"
    r"\s+[A-ZÆØÅ][\w'-]*\s+['\"‘“]?$"
)


def is_name(h: Hit, cased_field: str) -> bool:
    """Whether hit `h` is "Corona" written as the name of something else. `cased_field`: the
    field normalised without lower-casing (`classifiers.text.normalize_cased`)."""
    if not cased_field or h.surface != "corona" or cased_field[h.start : h.end] != "Corona":
        return False
    # a business named so ("Bar Corona på Nørrebro mister bevillingen")
    if names_a_thing(h, cased_field):
        return True
    if _DISEASE_AFTER.match(cased_field, h.end) is not None:
        return False
    if _LOWER_WORD_BEFORE.search(cased_field, max(0, h.start - 40), h.start) is not None:
        return True
    # in a body, also after a given name or another name inside a sentence ("winger Jesus
    # Corona", "Budweiser og Corona"); a headline may start with a scraped section label
    # ("Danmark Corona kan …"), so there only the lower-case word before counts
    if h.field == "text" and _NAME_BEFORE.search(cased_field, max(0, h.start - 40), h.start):
        return True
    if h.field == "title" and _GIVEN_NAME_BEFORE.search(cased_field, max(0, h.start - 60), h.start):
        return True
    return CAPITAL_AFTER.match(cased_field, h.end) is not None and not title_case(cased_field)
