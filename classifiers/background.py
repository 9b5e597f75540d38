"""Background clauses: a hit that describes a person, a country or a place the story is about.

The labelling rubric's own passing mention is one ("landet, der er medlem af Nato"): a
relative clause of membership, a membership stated as a known fact or dating the story, a
former office or deployment, a past post in an appointment story, a former facility put to
other use, an office claimed by a fraud or an identity pretended. Such a hit counts for
nothing (`classifiers.passing.is_passing`); a person named by a former office is no related
term either (`classifiers.evidence.current_related`).
"""

from __future__ import annotations

import re

from classifiers.terms import Hit

__all__ = ["in_background_clause", "names_former_holder"]

# A hit in a background clause about membership ("Finland, der blev medlem af Nato sidste år,
# …", "Finland, der har søgt om medlemskab af Nato, …", "Tyrkiet, som også er Nato-medlem,
# …") describes a country the story is about, as the labelling rubric's own example of a
# passing mention ("landet, der er medlem af Nato") says. Only the relative clause of
# membership qualifies: other relative clauses often carry the subject ("tolkene, der
# arbejdede for de danske soldater i Afghanistan").
_CLAUSE_START = r",\s*(?:der|som)\s+(?:[^\W_][\w-]*\s+){0,4}?"
# The membership may be of two ("…, der er medlem af både EU og Nato", "Orbán, hvis land er
# medlem af både EU og Nato, …"): the alliance second of the pair describes the country as
# much as alone.
_AND_ANOTHER = r"(?:(?:både\s+|hverken\s+)?[^\W\d_]+\s+(?:og|eller)\s+)?"
_MEMBER_OF = re.compile(
    # or the clause of a person's country ("Stubb, hvis land blev medlem af Nato i 2023, …";
    # a bare noun after "hvis": "whose", not "if")
    r"(?:" + _CLAUSE_START + r"|,\s*hvis\s+(?:land|hjemland)\s+(?:[^\W_][\w-]*\s+){0,3}?"
    # or a clause of the time or place ("…, hvor Litauen endnu ikke var medlem af hverken
    # EU eller Nato")
    r"|,\s*hvor\s+(?:[^\W_][\w-]*\s+){1,5}?)"
    r"(?:medlem(?:skab)?\s+af|med\s+i|optaget\s+i|optagelse\s+i)\s+" + _AND_ANOTHER + "$"
)
_CLAUSE_BEFORE = re.compile(_CLAUSE_START + r"$")
# A place introduced by an event it hosted ("Vilnius, der var vært for Nato-topmødet, bliver
# Europas grønne hovedstad", "Celtic Manor, der husede Nato-topmødet, vil have Ryder Cup
# tilbage") is described like a member: the clause dates the place.
_HOSTED = re.compile(
    _CLAUSE_START
    + r"(?:(?:var|har\s+været|havde\s+været)\s+vært\s+for|husede|(?:har\s+)?lagt\s+hus\s+til"
    r"|lagde\s+hus\s+til)\s+$"
)
# "Nato-land" is the membership in one word ("Polen, der er Nato-land og nabo til Ukraine, …").
_MEMBER_AFTER = re.compile(r"-?medlem(?:met|mer|s?land(?:et)?)?(?![^\W_])|-land(?:et)?(?![^\W_])")
# The same description as a main clause that only adds what the countries are ("Estland og
# Letland er begge Nato-medlemmer og har presset på for …", "Norge er også medlem af Nato"):
# "begge", "også", "alle", "allerede" mark a known fact, not news. Without them ("Finland er
# nu medlem af Nato", "Sverige er blevet Nato-medlem") the membership is the story and stays.
_MEMBER_STATED = (
    r"(?<![^\W_])(?:er\s+(?:begge|også|alle|allerede)"
    # the same in a subordinate clause ("…, at begge lande nu er medlem af Nato")
    r"|begge\s+(?:lande\s+)?(?:nu\s+)?er)\s+"
)
_MEMBER_STATED_OF = re.compile(_MEMBER_STATED + r"medlem(?:mer)?\s+af\s+" + _AND_ANOTHER + "$")
# A membership that dates the story ("… ikke blevet mindre, efter at Finland blev medlem af
# Nato", "det første præsidentvalg, siden Finland blev medlem af Nato"): a point in time, as
# "siden coronakrisen" is. The clause tells when something else happened.
_MEMBER_SINCE = (
    r"(?<![^\W_])(?:efter\s+at|siden|da|før|inden)\s+(?:[^\W_][\w-]*\s+){1,3}?"
    r"(?:blev|var\s+blevet|er\s+blevet|kom)\s+"
)
_MEMBER_SINCE_OF = re.compile(_MEMBER_SINCE + r"(?:medlem\s+af|optaget\s+i|med\s+i)\s+$")
_MEMBER_SINCE_BEFORE = re.compile(_MEMBER_SINCE + r"$")
_MEMBER_STATED_BEFORE = re.compile(_MEMBER_STATED + r"$")
# A person introduced by a former office ("den tidligere statsminister og generalsekretær i
# Nato Anders Fogh Rasmussen", "tidligere Nato-chef …") is described, not reported on: the
# office is a background like a membership clause, whatever the person says now. English
# wires write the same ("Former NATO commander joins …", "former secretary general of NATO").
# A retired officer is a former one ("Pensioneret Nato-general bliver formand for
# saunaforeningen", "retired NATO commander").
_FORMER = (
    r"(?<![^\W_])(?:tidligere|forhenværende|fhv\.|eks-|former|ex-|pensioneret|pensionerede"
    r"|retired)\s*"
)
_FORMER_OFFICE = re.compile(
    _FORMER + r"(?:[^\W_][\w-]*\s+){0,4}?"
    r"(?:generalsekretær|chef|topchef|ambassadør|general|talsmand|talsperson"
    r"|secretary[- ]general|commander|chief|ambassador|spokesman|spokesperson)"
    r"\s+(?:i|for|ved|of|at)\s+$"
)
# The office may close a list of the person's offices ("den tidligere statsminister og
# Nato-generalsekretær Anders Fogh Rasmussen"): "tidligere" describes them all.
_FORMER_BEFORE = re.compile(_FORMER + r"(?:(?:[^\W_][\w-]*\s+){1,2}og\s+)?$")
# The person such an office introduces is the same background ("Tidligere Nato-chef Jens
# Stoltenberg bliver norsk finansminister", "den tidligere generalsekretær i Nato, Jens
# Stoltenberg, …"): a secretary general's name, a keyword or a related term, read there names
# the office the person left, not the alliance's news.
_FORMER_HOLDER = re.compile(
    _FORMER + r"(?:[^\W_][\w-]*\s+){0,4}?[\w-]*?"
    r"(?:generalsekretær|chef|topchef|ambassadør|general|talsmand|talsperson"
    r"|secretary[- ]general|commander|chief|ambassador|spokesman|spokesperson)"
    r"(?:\s+(?:i|for|ved|of|at)\s+[^\W_][\w-]*)?,?\s+(?:[^\W\d_]+\s+)?$"
)


# Words every match of a pattern contains: a substring test in C turns most hits away
# before the pattern, which is tried at every position of its 80-character window (3-10 µs
# a hit each; together ~4 µs per lead over the corpus, identical results).
_FORMER_WORDS = (
    "tidligere",
    "forhenværende",
    "fhv.",
    "eks-",
    "former",
    "ex-",
    "pensioner",
    "retired",
)
_PAST_POST_WORDS = (
    "kommer fra",
    "tidligere",
    "arbejdet",
    "ansat",
    "erfaring",
    "hent",
    "udstation",
    "tjeneste",
)
_OLD_WORDS = ("gammel", "gamle", "tidligere", "forhenværende", "nedlagt")
_FAKE_WORDS = ("falsk", "påstå", "fup")


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def names_former_holder(h: Hit, field_text: str) -> bool:
    """Whether hit `h` is the name of a person introduced by a former office."""
    start = max(0, h.start - 80)
    return (
        _has_any(field_text[start : h.start], _FORMER_WORDS)
        and _FORMER_HOLDER.search(field_text, start, h.start) is not None
    )


# So is a past post in an appointment story ("Han kommer fra en stilling i Natos
# hovedkvarter", "har tidligere arbejdet i Nato"): the career of the person appointed.
_PAST_POST = re.compile(
    r"(?<![^\W_])(?:kommer fra (?:en stilling|et job|en post)"
    # (or served: "Generalmajor Lars Winther, der tidligere har gjort tjeneste i Natos
    # hovedkvarter, overtager …")
    r"|tidligere (?:har )?(?:arbejdet|været ansat|været udstationeret|gjort tjeneste))"
    r"(?:\s+[^\W_][\w-]*){0,3}?\s+(?:i|ved|hos)\s+$"
    # a past deployment in the same career ("… har tidligere været udsendt til Afghanistan,
    # Sydsudan og Irak" of a new head of an aid organisation)
    r"|(?<![^\W_])tidligere\s+(?:har\s+)?været\s+udsendt\s+til\s+$"
    # or in the relative clause that introduces the person, the place straight after the verb
    # ("Generalløjtnanten, der de seneste tre år har arbejdet i Natos militære hovedkvarter,
    # overtager posten", "…, der i tre år var udstationeret i Natos hovedkvarter, skal lede
    # …"; not "tolkene, der har arbejdet for de danske soldater i …")
    r"|" + _CLAUSE_START + r"(?:(?:har|havde)\s+(?:arbejdet|været\s+ansat|været\s+udstationeret"
    r"|gjort\s+tjeneste)"
    r"|var\s+(?:ansat|udstationeret))\s+(?:i|ved|hos)\s+$"
    # a person's experience ("ny chef med erfaring fra Afghanistan og Irak", "Forsvarets nye
    # cyberchef har erfaring fra Afghanistan"; the lessons of it, "erfaringerne fra …", may be
    # the subject and stay named)
    r"|(?<![^\W_])(?:med|har|havde) (?:\w+\s+)?erfaring(?:er)? fra\s+$"
    # a head hired from there ("Københavns Lufthavne henter ny topchef fra Nato-hovedkvarteret");
    # a role noun, so the evacuation of the interpreters ("henter tolkene hjem fra …") stays
    r"|(?<![^\W_])(?:henter|hentede|hentes|hentet)\s+(?:\w+\s+){0,2}?"
    r"\w*(?:chef|chefen|direktør|direktøren|formand|formanden|leder|lederen|general|generalen"
    r"|ambassadør|rådgiver|rådgiveren)\s+fra\s+$"
)
# In a body, any post held there by the person the story is about ("Den pensionerede general
# har blandt andet været chef i Natos hovedkvarter i Mons", "Hun har været ambassadør i
# Afghanistan", "har tidligere været feltlæge i Afghanistan"): of the trap file's bodies with
# such a clause and no topic in the headline, 21 of 21 naming NATO and 12 of 12 naming
# Afghanistan are labelled without it. (In a headline the post describes its one person, a
# single mention unless the service's wounds are told: `classifiers.persons`.)
_POST_HELD = re.compile(
    r"(?<![^\W_])(?:har|havde)\s+(?:blandt\s+andet\s+|bl\.\s*a\.\s+|også\s+|tidligere\s+)?"
    r"været\s+[^\W\d_][\w-]*\s+(?:i|ved|for)\s+$"
)
# A former deployment describes a person the same way ("Tidligere Nato-udsendt soldat dømt
# for overfald").
_OFFICE_AFTER = re.compile(
    r"(?:-(?:generalsekretær|chef|topchef|ambassadør|general|udsendt|udsendte"
    # any former post there ("Tidligere Nato-officer skal redde skiforbundets økonomi",
    # "Tidligere Nato-læge skal lede nyt traumecenter", "Tidligere Nato-tolk i Bruxelles
    # udgiver digtsamling"; "nato" stops before the hyphen, "afghanistan*" takes
    # "Afghanistan-tolk" whole, so the interpreters of the war stay its subject)
    r"|officer|læge|diplomat|rådgiver|medarbejder|ansat|tolk"
    # and the other ranks and staff ("Direktør er tidligere Nato-økonom", "tidligere
    # Nato-øverstkommanderende advarer mod en ny evig krig")
    r"|soldat|oberst|admiral|øverstkommanderende|embedsmand|topembedsmand|jurist|økonom"
    r"|ambassadørs)"
    r"|\s(?:secretary[- ]general|commander|chief|ambassador|general|spokesman|spokesperson))"
    r"(?![^\W_])"
)
# A former facility of the alliance put to other use ("Restaurant i gammel Nato-bunker får
# Michelinstjerne"): the place's past, like a person's former office.
_OLD = re.compile(
    r"(?<![^\W_])(?:gammel|gamle|gammelt|tidligere|forhenværende|nedlagt|nedlagte)\s+$"
)
_FACILITY_AFTER = re.compile(
    r"-(?:bunker|bunkeren|bunkers|base|basen|anlæg|anlægget|radar|radaren|depot|depotet|lejr"
    r"|lejren|flyvestation|flyvestationen|kaserne|kasernen"
    # and a store, a hangar, a radar station ("Tidligere Nato-lager i Skive bliver til
    # ungdomsboliger", "forsøgsstation ved den nedlagte Nato-radarstation"; all 5 such trap and
    # blind items are no topic)
    r"|lager|lageret|hangar|hangaren|radarstation|radarstationen)(?![^\W_])"
)


# A member described by the alliance ("valget i Nato-landet Tyrkiet", "Nato-medlemmet
# Ungarn", "Polen bygger hegn … – Nato-landet frygter …"): the rubric's "landet, der er
# medlem af Nato" as one word. Singular and definite, it names one member, not the alliance
# ("Nato-landene mødes …" still names it).
_MEMBER_DESCRIBED = re.compile(r"-(?:medlemmet|medlemslandet|landet)(?![^\W_])")
# the same in one word ("Natolandet Tyrkiet har valgt"; `natoland*` in the shipped config)
_MEMBER_DESCRIBED_WORD = "natolandet"
# so is the singular with an adjective, which takes the indefinite form ("Dronningen roste
# det lille Nato-land uden hær")
_DESCRIBED_BEFORE = re.compile(
    r"(?<![^\W_])det\s+[^\W\d_]+e\s+$"
    # and any other member, a comparison with the members ("Danmark giver mere pr. indbygger
    # end noget andet Nato-land", "som intet andet Nato-land")
    r"|(?<![^\W_])(?:noget|intet|ethvert|et)\s+andet\s+$"
)
_MEMBER_INDEFINITE = re.compile(r"-(?:medlem|medlemsland|land)(?![^\W_])")


# An office claimed by a fraud ("Falsk Nato-general på datingside lokkede 600.000 kroner ud
# af enke"): the scam is the story, as a person's former office describes him.
_FAKE = re.compile(r"(?<![^\W_])(?:falsk|falske|påstået|påståede|fup)\s*-?$")
# So is an identity pretended ("Kærlighedssvindlere udgiver sig for at være Nato-officerer",
# "Kærlighedssvindler udgav sig for at være amerikansk soldat i Afghanistan"): the topic is
# only the disguise. Not what the pretender checks ("udgiver sig for at være kontrollanter af
# coronapas": the measure itself).
_PRETENDED_WORDS = ("udgiv", "udgav", "påst", "foreg")
_PRETENDED = re.compile(
    r"(?<![^\W_])(?:(?:udgive[rst]?|udgav|udgivet)\s+sig\s+for\s+(?:at\s+være\s+)?"
    r"|(?:påstod|påstår|foregav|foregiver)\s+at\s+være\s+)(?:(?!af\s)[^\W\d_][\w-]*\s+){0,4}?$"
)


# An apposition of membership describes a country the same way ("Danmark, et af Natos stiftende
# medlemmer, har ikke haft en ammunitionsfabrik …", "Norge, et af de oprindelige medlemmer af
# Nato, …"): one of the members, named between commas, is the country's description.
# (also as a relative clause: "Polen, der er et af Natos østligste medlemslande, vil …")
_ONE_OF = r",\s*(?:(?:der|som)\s+er\s+)?(?:et|en|ét)\s+af\s+"
_ONE_OF_MEMBERS = re.compile(
    _ONE_OF + r"(?:de\s+)?(?:[^\W\d_]+\s+){0,2}?(?:medlemmer|medlemslande|lande)\s+(?:af|i)\s+$"
)
_ONE_OF_BEFORE = re.compile(_ONE_OF + r"$")
_MEMBERS_AFTER = re.compile(
    r"s?\s+(?:[^\W\d_]+\s+){0,2}?(?:medlemmer|medlemslande|allierede)(?![^\W_])"
)


# A person introduced by an office held until some time, in the past tense of the clause
# that introduces the person ("Jens Stoltenberg, der indtil sidste efterår var Natos
# generalsekretær, vil …"): the former office, told without "tidligere".
_WAS_IN_CLAUSE = re.compile(_CLAUSE_START + r"var\s+$")
_OFFICE_OF_AFTER = re.compile(
    r"s?\s+(?:generalsekretær|chef|topchef|ambassadør|talsmand|talsperson|øverstbefalende)"
    r"(?![^\W_])"
)


def in_background_clause(h: Hit, field_text: str) -> bool:
    """Whether hit `h` stands in a clause that describes something else by the topic."""
    before = field_text[max(0, h.start - 80) : h.start]
    former = _has_any(before, _FORMER_WORDS)
    if (
        _has_any(before, _FAKE_WORDS)
        and _FAKE.search(before)
        and _OFFICE_AFTER.match(field_text, h.end, h.end + 20)
    ) or (
        _has_any(before, _PRETENDED_WORDS)
        and _PRETENDED.search(field_text, max(0, h.start - 70), h.start) is not None
    ):
        return True
    if (
        _MEMBER_OF.search(before)
        or _ONE_OF_MEMBERS.search(before)
        or (_ONE_OF_BEFORE.search(before) and _MEMBERS_AFTER.match(field_text, h.end, h.end + 40))
        or (former and _FORMER_OFFICE.search(before))
        or (_has_any(before, _PAST_POST_WORDS) and _PAST_POST.search(before))
        or (h.field != "title" and "været" in before and _POST_HELD.search(before))
        or _HOSTED.search(before)
        or (_WAS_IN_CLAUSE.search(before) and _OFFICE_OF_AFTER.match(field_text, h.end, h.end + 30))
        or names_former_holder(h, field_text)
    ):
        return True
    if (
        _has_any(before, _OLD_WORDS)
        and _OLD.search(before)
        and _FACILITY_AFTER.match(field_text, h.end, h.end + 20)
    ):
        return True
    if _MEMBER_STATED_OF.search(before) or _MEMBER_SINCE_OF.search(before):
        return True
    if (
        _MEMBER_STATED_BEFORE.search(before) or _MEMBER_SINCE_BEFORE.search(before)
    ) and _MEMBER_AFTER.match(field_text, h.end, h.end + 16):
        return True
    if h.surface == _MEMBER_DESCRIBED_WORD or _MEMBER_DESCRIBED.match(
        field_text, h.end, h.end + 16
    ):
        return True
    if _DESCRIBED_BEFORE.search(before) and _MEMBER_INDEFINITE.match(field_text, h.end):
        return True
    if _CLAUSE_BEFORE.search(before):
        return bool(_MEMBER_AFTER.match(field_text, h.end, h.end + 16))
    return (
        former
        and bool(_FORMER_BEFORE.search(before))
        and bool(_OFFICE_AFTER.match(field_text, h.end, h.end + 20))
    )
