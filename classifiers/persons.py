"""One person described by a topic: the person is the story, not the topic.

A headline that describes its one person by service in the topic ("Tidligere
Afghanistan-soldat stiller op for Venstre", "Drabssigtet 34-årig var udsendt til
Afghanistan"), by a role in the pandemic ("Tidligere coronaminister bliver …"), by
nationality or by origin ("Afghansk mand idømt …", "Mand fra Afghanistan …") names the topic
once, and the context model decides (`classifiers.headline.single_in_headline`); so does the
same person's past deployment told in the body (`past_deployment_in_body`). Unless the
headline or the lead's first sentence tells what the service did to the person (wounds,
trauma, compensation): the rubric counts the war's veterans as its subject.
"""

from __future__ import annotations

import re

from classifiers.places import OTHER_PLACES
from classifiers.terms import Hit
from classifiers.text import normalize_cased
from classifiers.textfile import first_sentence

__all__ = ["describes_one_person", "is_pandemic_role", "past_deployment_in_body"]

# One person described by service in the topic ("Tidligere Afghanistan-soldat stiller op for
# Venstre", "Afghanistan-veteranen åbner bageri"): the person is the story, so a single
# mention the context model decides. Singular only: "Nato-soldater er i Ukraine",
# "Afghanistan-veteraner får …" report on the forces and the veterans as such.
_ONE_SERVICEMAN = re.compile(
    r"-(?:soldat|soldaten|veteran|veteranen"
    # or by rank ("Tidligere Afghanistan-kaptajn bliver ny direktør i softwarehus"), or by
    # the reporting post ("Tidligere Afghanistan-korrespondent bliver ny nyhedschef")
    r"|kaptajn|kaptajnen|major|majoren|oberst|obersten|løjtnant|løjtnanten|sergent|sergenten"
    r"|konstabel|konstablen|officer|officeren|korrespondent|korrespondenten"
    # or the one deployed ("Tidligere Afghanistan-udsendt er ny formand for Forsvarsudvalget")
    r"|udsendt"
    # or the military doctor ("Tidligere Afghanistan-læge skal stoppe superbakterier")
    r"|læge|lægen|feltlæge|feltlægen"
    # or the pilot ("Ny direktør for Billund Lufthavn er tidligere Afghanistan-pilot")
    r"|pilot|piloten"
    # or the diplomat ("Erfaren Nato-diplomat bliver ny kabinetssekretær", "Danmarks
    # Nato-ambassadør bliver departementschef")
    r"|diplomat|diplomaten|ambassadør|ambassadøren)(?![^\W_])"
)
# or the former spokesman ("Tidligere Nato-talsmand debuterer som stand-up-komiker"); a
# spokesman in office speaks for the topic ("Taleban-talsmand afviser rapporten")
_FORMER = re.compile(r"(?<![^\W_])(?:tidligere|forhenværende|eks)[\s-]+$")
_FORMER_ROLE = re.compile(
    r"-(?:talsmand|talsmanden|talskvinde|talskvinden|talsperson|talspersonen"
    # and any former post of the alliance's or the war's staff ("Tidligere Nato-analytiker
    # bliver chef for Center for Cybersikkerhed", "Tidligere Afghanistan-general bliver formand
    # for ATP's bestyrelse", "Tandlægekæde henter tidligere Nato-direktør"): of the trap file's
    # 398 headlines with a former one of the topic, 378 are no topic
    r"|general|generalen|generalsekretær|generalsekretæren|chef|chefen|direktør|direktøren"
    r"|rådgiver|rådgiveren|analytiker|analytikeren|planlægger|planlæggeren|strateg|strategen"
    r"|embedsmand|embedsmanden|medarbejder|medarbejderen|ansat|udsending|udsendingen)(?![^\W_])"
)
# Unless the headline or the lead's first sentence tells what the service did to the person:
# wounds, trauma, compensation or a work injury, the help a veteran gets, a medal, death
# ("Afghanistan-veteran får erstatning for PTSD efter ti års kamp", "Afghanistan-veteran vinder
# sag om arbejdsskade", "Afghanistan-veteran: Jeg fik først hjælp efter syv år" over "…
# kæmper med PTSD efter to udsendelser"): the rubric counts the veterans of
# the war as its subject, and these are the war's own consequences. The Invictus Games are
# the wounded veterans' games, so taking part tells the wounds too.
_SERVICE_TOLD = re.compile(
    r"(?<![^\W_])(?:ptsd|erstatning\w*|arbejdsskade\w*|såret|sårede|krigsskade\w*|medalje\w*|hædre\w*|dræbt"
    r"|faldet|faldne|\w*traum\w*|psykisk\w*|mén|hjælp|behandling\w*|vejsidebombe\w*|invictus\w*)"
    r"(?![^\W_])",
    re.IGNORECASE,
)
# The role as the office a person takes up is the topic's own news ("Trump udpeger Whitaker
# til Nato-ambassadør", "Ny Nato-ambassadør skal forhandle med Tyrkiet"), not a description.
_TAKES_UP = re.compile(r"(?<![^\W_])(?:til|som|ny|nye)\s+$", re.IGNORECASE)
#: Characters of the body read for its lead's first sentence.
_LEAD = 300
# One person described by a role in the pandemic ("Dansk coronaekspert afskediget efter
# anklager om krænkelser", "Tidligere covid-19-koordinator bliver Bidens stabschef",
# "Tidligere coronaminister bliver ny premierminister"): as with the serviceman, the person
# is the story, a single mention the context model decides ("Coronaekspert: Smitten stiger
# igen" still reads as covid). Singular: "coronaeksperterne" speak for the field. In the
# shared corpora these are the only 5 headlines with such a word, all about the person.
_ONE_PANDEMIC_ROLE = re.compile(
    r"(?:corona|covid|covid-19)-?(?:ekspert|eksperten|koordinator|koordinatoren|minister|ministeren"
    # and a chief or an adviser of those years ("Tidligere coronachef i Sundhedsstyrelsen bliver
    # formand for Hjerteforeningen", "Tidligere coronarådgiver bliver rektor": the trap file's
    # 2 such headlines are no topic)
    r"|chef|chefen|rådgiver|rådgiveren|direktør|direktøren)$"
)

# One person described by nationality ("29-årig afghansk mand fængslet for knivstik", "Afghansk
# statsborger anholdt"): the person is the story, as with the serviceman. Singular only: the
# plural ("afghanske kvinder må ikke studere") reports on the country's people; and not the
# interpreter or the refugee, whom the rubric counts as the topic's subject.
_ONE_NATIONAL = re.compile(
    r"\s+(?:mand|kvinde|dreng|pige|teenager|statsborger|asylansøger)(?![^\W_])"
)
# The same told by the noun and the age, as crime reports describe a suspect ("17-årig
# afghaner sigtet for knivdrab i Odense", "21-årig afghaner idømt seks års fængsel"): all 5
# such headlines of the trap file are no topic, and all 5 alerted. Not "ung afghaner" without
# an age, which the trap file's deportation stories use ("Strasbourg stopper udsendelse af ung
# afghaner").
_AGED = re.compile(r"(?<![^\W_])\d+-årige?\s+$")


# The same told by the person's past service, as a verb ("Drabssigtet 34-årig var udsendt til
# Afghanistan", "Byrådskandidat har været officer i Nato i 20 år"): the person is the story,
# as "Tidligere Afghanistan-soldat …" is, unless the headline tells what the service did.
_PAST_SERVICE = re.compile(
    r"(?<![^\W_])(?:(?:var|har\s+været|havde\s+været)\s+(?:tidligere\s+|engang\s+)?"
    # or is a former one ("Ny biskop i Aalborg er tidligere feltpræst i Afghanistan")
    r"|er\s+(?:tidligere|forhenværende)\s+)"
    # ("Terrortiltalt var tidligere udsendt til Afghanistan", "Ny direktør har været
    # militærlæge i Afghanistan"), also in command ("Ny chef for USA's Sydkommando var
    # tidligere øverstbefalende i Kabul")
    # also in a post there ("Ny styrelsesdirektør var udsendt som civil rådgiver i Kabul", "Ny
    # næstformand i Dansk Metal var udsendt som soldat i Afghanistan")
    r"(?:(?:udsendt|udstationeret)\s+som\s+(?:[^\W\d_]+\s+)?[^\W\d_]+(?=\s+(?:til|i|ved)\s)"
    # (a soldier or officer of any branch: "Vuggestuelederen var sanitetssoldat i Afghanistan",
    # "Krimiforfatteren var efterretningsofficer i Nato")
    r"|udsendt|[^\W\d_]*soldat|[^\W\d_]*officer|ansat|udstationeret|militærlæge|feltpræst"
    r"|øverstbefalende"
    # or an adviser ("Ny skatteminister var tidligere rådgiver i Nato"), or in a civilian
    # trade for an employer or at an event ("Ny direktør for Rigshospitalet var læge for
    # Forsvaret i Afghanistan", "… hun var journalist ved Nato-topmødet"); not the trade alone:
    # "Han var læge i Kabul" is an Afghan doctor's own story
    r"|rådgiver|(?:læge|sygeplejerske|journalist|pilot|præst)(?=\s+(?:for\s+[^\W\d_]+|ved)\s))"
    r"(?:\s+for\s+[^\W\d_]+)?"
    # also to two places ("Ny forsvarschef har været udsendt til både Afghanistan og Irak",
    # "Mand, der har været udsendt til Irak og Afghanistan, dømt for momssvindel")
    r"\s+(?:til|i|ved|for)\s+(?:både\s+)?" + OTHER_PLACES + "$"
    # or by the deployments ("Sygeplejerske med to udsendelser til Afghanistan: …")
    r"|(?<![^\W_])med\s+(?:[^\W\d_]+\s+)?udsendelser?\s+til\s+" + OTHER_PLACES + "$"
    # or the speaker's own past in a quote ("Brandchef: »Jeg har været i Afghanistan, men
    # aldrig set noget lignende«")
    r"|(?<![^\W_])(?:jeg|vi)\s+har\s+været\s+i\s+$"
    # or the past participle closing a description of the person ("Årets Frivillige er
    # redningsmand fra Skagen og tidligere udsendt til Afghanistan")
    r"|(?<![^\W_])og\s+tidligere\s+(?:udsendt|udstationeret)\s+(?:til|i)\s+$"
    # or any former post there ("Ny direktør i Finanstilsynet er tidligere jurist i Natos
    # hovedkvarter", "Ny MGP-vært er tidligere krigskorrespondent i Afghanistan": all 7 such
    # headlines of the trap file and blind rounds are no topic)
    r"|(?<![^\W_])er\s+(?:tidligere|forhenværende)\s+[^\W\d_][\w-]*\s+(?:i|ved|hos)\s+"
    + OTHER_PLACES
    + "$"
    # or the former rank in apposition ("Veteranhjemmet får ny leder – tidligere oversergent
    # udsendt til Afghanistan")
    r"|[,:–-]\s+tidligere\s+[^\W\d_]+\s+(?:udsendt|udstationeret)\s+(?:til|i)\s+$"
    # or the person's past in a place ("Venstre-kandidat med fortid i Nato-hovedkvarteret vil
    # redde svømmehallen", "Ny rektor med en fortid i Afghanistan"), also as what the person
    # has ("Ny direktør i Nationalbanken har en fortid i Natos hovedkvarter", "Betjenten har en
    # mørk fortid i Afghanistan"): of the trap file's 26 headlines and bodies with a past
    # there, 25 are no topic (the other a Taleban fighter's past, told by "fortid som")
    r"|(?<![^\W_])(?:med|har)\s+(?:en\s+)?(?:[^\W\d_]+\s+)?fortid\s+(?:i|ved|som)\s+$"
    # also in a post there ("Kandidat med kurdiske rødder og fortid som rådgiver i Nato")
    r"|(?<![^\W_])fortid\s+som\s+[^\W\d_]+\s+(?:i|ved|hos|for)\s+$"
    # or just home from there ("Soldat reddede druknende dreng – han var netop hjemvendt fra
    # Afghanistan"; the forces' homecoming, "Soldaterne er vendt hjem fra …", stays)
    r"|(?<![^\W_])(?:han|hun)\s+(?:var|er)\s+(?:netop\s+|lige\s+)?(?:hjemvendt|vendt\s+hjem)"
    r"\s+fra\s+$"
    # or the person's past employer ("Ny forsvarsminister har tidligere arbejdet for Nato i
    # Bruxelles", "Fotografen bag årets modekampagne har arbejdet i Afghanistan, Irak og
    # Paris"), also in a job or for another employer there ("Ny direktør i Sundhedsstyrelsen
    # har arbejdet som læge i Afghanistan og Sydsudan", "… har arbejdet for FN i Kabul og
    # Nairobi": all 4 such headlines of the trap file and blind rounds 343-346 are no topic);
    # the verb, not the noun ("stopper arbejdet i Afghanistan")
    r"|(?<![^\W_])(?:har|havde)\s+(?:tidligere\s+|engang\s+|selv\s+)?arbejdet"
    r"\s+(?:(?:som|for)\s+[^\W\d_][\w-]*\s+)?(?:for|i|ved|hos)\s+" + OTHER_PLACES + "$"
)
# The one newly appointed, opening the headline: also a country's or a firm's ("Islands nye
# udenrigsminister", "DMI's nye direktør").
_NEWLY_APPOINTED = (
    # also with an adjective before the post ("Ny georgisk forsvarschef har tjent i Irak og
    # Afghanistan", "Ny dansk professor i evolution har studeret fugle i Afghanistan")
    r"(?:[^\W\d_]+(?:'s|s)\s+)?nye?t?\s+(?:[^\W\d_]+\s+)?[^\W\d_][\w-]*"
    r"(?:\s+(?:i|for|på|ved|hos)(?:\s+[^\W\d_][\w-]*){1,4})?"
)
# or by where the one newly appointed comes from ("Ny vicedirektør i Dansk
# Arbejdsgiverforening kommer fra Natos hovedkvarter", "Ny chef for Specialoperationskommandoen
# kommer fra Nato-stab i Mons"): the appointment is the story. Also fetched, also from a post
# there ("Region Syddanmarks nye vaccinationschef hentes fra Nato-hovedkvarteret", "Ny chef for
# Arktisk Kommando kommer fra stilling i Natos hovedkvarter"): all 22 such headlines of the
# trap file and blind rounds 343-358 are no topic.
_NEWLY_APPOINTED_FROM = re.compile(
    _NEWLY_APPOINTED
    + r"\s+(?:kommer|hentes|hentet)\s+fra\s+(?:(?:en\s+)?(?:stilling|job|post)\s+(?:i|ved|hos)\s+)?"
    # also a country's delegation ("Trapholts nye direktør kommer fra Danmarks Nato-delegation")
    r"(?:[^\W\d_]+s\s+)?"
    # or a firm where the person worked on the topic ("Lundbecks nye topchef kommer fra Moderna,
    # hvor han ledede arbejdet med coronavaccinen")
    r"(?:[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,2},\s+hvor\s+(?:han|hun)\s+"
    r"(?:[^\W\d_][\w-]*\s+){1,6})?$"
)
# or by what the one newly appointed has done before ("Ny chef for Flyvevåbnet har fløjet
# kampmissioner over Afghanistan", "AGF's nye fysioterapeut har behandlet soldater i
# Afghanistan", "DMI's nye direktør har lavet vejrudsigter for Nato-styrker"): a career, told by
# the perfect of any verb. All 42 such headlines of the trap file are no topic, and 14 of them
# alerted. A single mention, so a body about the topic still does.
_NEWLY_APPOINTED_PAST = re.compile(
    _NEWLY_APPOINTED + r"\s+(?:har|havde)\s+(?:tidligere\s+|selv\s+|også\s+|engang\s+)?[^\W\d_]+t"
    r"(?:\s+[^\W\d_][\w-]*){0,6}?\s+$"
)
# or by the serviceman's noun before the place ("Veteran fra Afghanistan vinder Robinson
# Ekspeditionen"), the same as "Afghanistan-veteran" (singular only, as `_ONE_SERVICEMAN`)
_ONE_SERVED_IN = re.compile(
    r"(?<![^\W_])(?:veteran|veteranen|soldat|soldaten|officer|officeren|feltlæge|feltlægen"
    # and by rank ("Tidligere kaptajn fra Afghanistan-missionen bliver ny direktør")
    r"|kaptajn|kaptajnen|major|majoren|oberst|obersten|general|generalen|sergent|sergenten"
    r"|militærlæge|militærlægen"
    # and the reporter who covered the war ("Tidligere krigskorrespondent i Irak og
    # Afghanistan bliver ny nyhedschef")
    r"|[^\W\d_]*korrespondent|[^\W\d_]*korrespondenten)\s+(?:fra|i)\s+" + OTHER_PLACES + "$"
    # after another war or two ("Veteranen fra Irak og Afghanistan bliver forsvarsminister")
)
# or by a former post there, opening the headline as its subject ("Tidligere chef for de danske
# styrker i Afghanistan bliver formand for Øjenforeningen", "Tidligere udsending til
# Afghanistan bliver britisk ambassadør i Islamabad", "Tidligere feltpræst i Afghanistan stiller
# op til Folketinget"): a career told by its past post. Only posts the West sent there: a
# former interpreter, judge or member of parliament from Kabul is an Afghan, whose own story
# the rubric counts (101 of the trap file's 104 headlines opening with a former interpreter
# there are labelled Afghanistan). The shared corpora have no headline of this form.
_FORMER_POST_IN = re.compile(
    r"(?:^|[:–-]\s+)(?:tidligere|forhenværende)\s+(?:chef|chefen|udsending|udsendingen|læge"
    r"|feltpræst|præst|landedirektør|direktør|ambassadør|rådgiver|kommandør|stabschef)"
    r"\s+(?:for\s+(?:[^\W\d_]+\s+){1,4}?)?(?:i|til|fra|ved)\s+" + OTHER_PLACES + "$"
)
# or by a work of theirs about it, opening the headline ("Forfatter til bog om evakueringen fra
# Kabul debuterer med krimi", "Instruktøren bag dokumentaren om kvinder i Kabul er i gang med en
# film om Grønland"): the maker is the story, the topic the subject of an earlier work. All 3
# such headlines of the trap file and blind rounds 283-290 are labelled no topic.
_MAKER_OF_WORK_ABOUT = re.compile(
    r"(?:^|:\s+)(?:forfatter|forfatteren|instruktør|instruktøren|manuskriptforfatter"
    r"|manuskriptforfatteren|fotograf|fotografen|journalist|journalisten|tegner|tegneren)"
    r"\s+(?:til|bag)\s+(?:[^\W\d_]+\s+){0,3}?(?:bog|bogen|film|filmen|dokumentar\w*|serie\w*"
    r"|roman\w*|podcast\w*|udstilling\w*)\s+om\s+(?:[^\W\d_]+\s+){0,4}$"
)
# The same told by origin ("Mand fra Afghanistan nægter at have stukket sin ven ned").
# and by birth, upbringing or roots ("Født i Afghanistan, opvokset i Ikast: Han er FC
# Midtjyllands nye målmandstræner", "Landsholdsdebutant voksede op i Kabul"), also in one of
# the country's cities (`_PLACES_OF_BIRTH`)
_ONE_FROM = re.compile(
    r"(?<![^\W_])(?:mand|kvinde|dreng|pige|teenager|asylansøger)\s+fra\s+$"
    r"|(?<![^\W_])(?:født|opvokset|voksede\s+op|vokset\s+op)\s+i\s+$"
    # or roots there ("Superliga-talent med rødder i Afghanistan udtaget til U21-landsholdet")
    r"|(?<![^\W_])rødder\s+i\s+" + OTHER_PLACES + "$"
    # or the arrival from there ("Sygeplejerske, der kom til Danmark fra Afghanistan som barn,
    # får pris"): all 5 such trap headlines are no topic, 4 of them alerted
    r"|(?<![^\W_])kom\s+til\s+danmark\s+fra\s+$"
)

# or by birth in a compound ("Kabul-født læge skal lede ny transplantationsenhed i Aarhus",
# "Afghanistan-født kunstner …"), as "født i Kabul": where one person was born. Only the
# country's places: a child "corona-født" was born during the pandemic, one of its effects.
_BORN_THERE = re.compile(r"-fødte?(?![^\W_])")
_PLACES_OF_BIRTH = ("afghanistan", "kabul", "helmand", "kandahar", "herat", "mazar")


def _born_there(h: Hit, title: str) -> bool:
    return h.surface.startswith(_PLACES_OF_BIRTH) and (
        _BORN_THERE.search(h.surface) is not None or _BORN_THERE.match(title, h.end) is not None
    )


def _service_told(title: str, text: str) -> bool:
    if _SERVICE_TOLD.search(title) is not None:
        return True
    return _SERVICE_TOLD.search(first_sentence(text[:_LEAD], limit=_LEAD)) is not None


def _role_after(role: re.Pattern[str], h: Hit, title: str) -> bool:
    """Whether `role` ("-soldat", "-analytiker") follows hit `h`: in its own compound
    ("afghanistan*" takes "Afghanistan-soldat" whole) or right after it ("nato" stops before
    "-soldat")."""
    return role.search(h.surface) is not None or role.match(title, h.end) is not None


def describes_one_person(h: Hit, title: str, text: str) -> bool:
    """Whether headline hit `h` describes the headline's one person (by service, also as a
    verb, by a role in the pandemic, by nationality or by origin) and the service did nothing
    the headline or the lead tells (`text`: the body as written)."""
    return (
        (
            _role_after(_ONE_SERVICEMAN, h, title)
            and _TAKES_UP.search(title, max(0, h.start - 8), h.start) is None
            and not _service_told(title, text)
        )
        or _ONE_PANDEMIC_ROLE.match(h.surface) is not None
        or (h.surface == "afghansk" and _ONE_NATIONAL.match(title, h.end) is not None)
        or (
            h.surface == "afghaner"
            and _AGED.search(title, max(0, h.start - 12), h.start) is not None
        )
        or (h.surface in _PLACES_OF_BIRTH and _ONE_FROM.search(title, 0, h.start) is not None)
        or _born_there(h, title)
        or (
            _role_after(_FORMER_ROLE, h, title)
            and _FORMER.search(title, max(0, h.start - 16), h.start) is not None
        )
        or (
            (
                _PAST_SERVICE.search(title, max(0, h.start - 40), h.start) is not None
                or _NEWLY_APPOINTED_FROM.match(title, 0, h.start) is not None
                or _NEWLY_APPOINTED_PAST.match(title, 0, h.start) is not None
                or _ONE_SERVED_IN.search(title, max(0, h.start - 40), h.start) is not None
                or _FORMER_POST_IN.search(title, max(0, h.start - 70), h.start) is not None
                or _MAKER_OF_WORK_ABOUT.search(title, max(0, h.start - 90), h.start) is not None
            )
            and not _service_told(title, text)
        )
    )


# In the body, one person's past deployment told in passing ("Den tidligere soldat, der to
# gange var udsendt til Afghanistan, …", "Den 38-årige var to gange udsendt til Afghanistan og
# …"): the person is the story, as with the headline's serviceman, unless the headline or the
# lead's first sentence tells what the service did (PTSD, compensation). One person only: a
# pronoun, "den N-årige", or a singular noun before the relative clause; the soldiers as a
# group ("soldaterne, der var udsendt til …") are the deployment's own news. In the trap
# file 11 of the 14 stories with such a clause are labelled no topic, and the other 3 tell
# the service's wounds.
_ONES_PAST_DEPLOYMENT = re.compile(
    r"(?:(?<![^\W_])(?:han|hun)|(?<![^\W_])den\s+(?:\d+-årige|tidligere\s+[^\W\d_]+)"
    r"|(?:[^\W\d_]*(?:soldat|veteran|officer)|(?<![^\W_])(?:mand|kvinde|far|mor|søn|datter))"
    r"(?:en)?,\s+(?:der|som)"  # a compound ("en tidligere jægersoldat, der var udsendt til")
    # or any one person described before the clause ("Den 52-årige smed, der før karrieren i
    # fagbevægelsen var udsendt som konstabel til Kosovo og Afghanistan", "fortæller
    # sikkerhedschefen, der selv har været udsendt til Afghanistan"): a noun in the
    # singular's definite form, not a unit ("bataljonen", "styrken, der var udsendt til …")
    r"|(?<![^\W_])den\s+(?:\d+-årige\s+|tidligere\s+){1,2}[^\W\d_]+,\s+(?:der|som)"
    r"|(?<![^\W_])(?!(?:styrken|hæren|enheden|delingen|brigaden|fregatten|flåden),)"
    r"[^\W\d_]{3,}(?<!n)en,\s+(?:der|som))"
    # an adverb inside the verb and the post after it ("Hun har tidligere været udsendt som
    # soldat i Afghanistan"), a time or a career before the verb ("der i 2011 var …")
    r"\s+(?:[\w-]+\s+){0,4}?(?:var|(?:har|havde)\s+(?:[^\W\d_]+\s+)?været)"
    r"\s+(?:[^\W\d_]+\s+){0,2}?(?:udsendt|udstationeret)\s+(?:som\s+[^\W\d_]+\s+)?(?:til|i)\s+"
    + OTHER_PLACES
    + "$"
    # or with the verb first ("Ifølge hæren havde han været udsendt til Afghanistan")
    r"|(?<![^\W_])(?:var|har|havde)\s+(?:han|hun)\s+(?:været\s+)?(?:[^\W\d_]+\s+){0,2}?"
    r"(?:udsendt|udstationeret)\s+(?:til|i)\s+$"
)

# or by the person's name before the clause ("Ingeniøren Jens Krogh, der var udsendt til
# Afghanistan i 2008, har udviklet en robot", "Den 38-årige Martin Kjær, der som konstabel var
# udsendt til …"): two capitalised words before the comma, read in the text as written (a
# group, "Soldaterne fra Holstebro, der var udsendt til …", has no such name).
_NAMED_PAST_DEPLOYMENT = re.compile(
    r"(?<![^\W_])[A-ZÆØÅ][^\W\d_]+\s+[A-ZÆØÅ][^\W\d_]+,\s+(?:der|som)"
    r"\s+(?:[^\W\d_]+\s+){0,3}?(?:var|har\s+været|havde\s+været)\s+(?:[^\W\d_]+\s+){0,2}?"
    r"(?:udsendt|udstationeret)\s+(?:til|i)\s+$"
)


def past_deployment_in_body(h: Hit, title: str, text: str, original_text: str) -> bool:
    """Whether body hit `h` is the place of one person's past deployment, told in passing
    (`text` normalised, `original_text` as written, for the lead's first sentence)."""
    if h.field != "text":
        return False
    start = max(0, h.start - 100)
    # the pattern backtracks over its optional words (~40 µs a hit): its verbs first
    if text.find("udsendt", start, h.start) < 0 and text.find("udstationeret", start, h.start) < 0:
        return False
    if _ONES_PAST_DEPLOYMENT.search(text, start, h.start) is None:
        cased = normalize_cased(original_text)
        if len(cased) != len(text) or _NAMED_PAST_DEPLOYMENT.search(cased, start, h.start) is None:
            return False
    return not _service_told(title, original_text)


def is_pandemic_role(surface: str) -> bool:
    """Whether a hit's surface is the role of one person in the pandemic ("coronaminister",
    "covid-19-koordinator"): all such hits in a story name its one person."""
    return _ONE_PANDEMIC_ROLE.match(surface) is not None
