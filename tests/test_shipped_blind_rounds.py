"""The shipped config.yaml topics with the default model on the cases the blind rounds brought
(`BENCHMARKS.md`, rounds 9-27): each headline written for the test after a family of the trap
file that a rule or a term in `config.yaml` settled. A regression guard of those rules, one
case per rule, beside the trap file's floor in `tests/test_shipped_topics.py`."""

from __future__ import annotations

import pytest

from classifiers.base import Document
from classifiers.hybrid import HybridClassifier


@pytest.mark.parametrize(
    ("title", "text", "topics"),
    [
        # a maker of medical equipment whose name begins like the disease
        ("Covidien lukker fabrik i Irland", "", set()),
        # resistant bacteria close wards with masks and isolation like covid did
        (
            "Udbrud af MRSA lukker fødeafsnit",
            "Tre nyfødte er smittet, og personalet bærer nu mundbind og kittel på stuerne.",
            set(),
        ),
        # an EU law's article 5, a convention's, an article said to be violated
        ("Landmænd frygter artikel 5 i EU's nye jordlov", "", set()),
        ("Ny lov strider mod artikel 5 i Børnekonventionen", "", set()),
        ("Domstol: Danmark krænkede artikel 5 ved tvangsfiksering", "", set()),
        ("Corona brewer lifts outlook on strong Mexican demand", "", set()),
        # the 1970s coat named after the country
        ("Afghanpelsen er tilbage i butikkerne", "", set()),
        ("Designerne genopliver afghanerjakken", "", set()),
        # the Soviet field uniform, and the English adjective as a name before a business's noun
        ("Mobiliserede må selv købe uniform – gammel 'afghanka' sælges igen", "", set()),
        ("Afghan Kebab i Skive kåret til byens bedste durum", "", set()),
        ("Afghan Bazar på Amagerbrogade må flytte efter huslejestigning", "", set()),
        # a sports club named after the country (rounds 371-374)
        ("Afghanistan United fra Gellerup søger trænere til U10-holdet", "", set()),
        # the interpreters of the 2021 evacuation, never named with the country
        ("Efterladte tolke: Danmark svigtede os", "", {"Afghanistan"}),
        # the public sector's interpreters stay no topic
        ("Partier vil stille krav til tolke i det offentlige", "", set()),
        # coronaviruses of animals (round 19)
        (
            "Flere spædkalve dør af coronavirus",
            "Diarréen skyldes bovint coronavirus, som ikke smitter mennesker.",
            set(),
        ),
        ("Katte med FIP", "Sygdommen skyldes et felint coronavirus.", set()),
        ("Coronavirus fundet hos mink i Nordjylland", "", {"COVID-19"}),
        # concertina wire is sold as "Nato-hegn" and "Nato-tråd" (rounds 21 and 23)
        ("Lodsejer skal fjerne nato-hegn omkring sommerhusgrund", "", set()),
        ("Landmand får bøde for Nato-tråd langs markvej", "", set()),
        # a solar eclipse shows the sun's corona (round 25)
        ("Solformørkelse: Coronaen synlig i fire minutter", "", set()),
        # the knotted rug named after the country (round 24)
        ("Afghan-tæppet fra loppemarkedet er vurderet til 80.000 kroner", "", set()),
        # the crocheted blanket, with a hyphen (round 345)
        ("Højskolens elever hækler afghaner-tæpper til julemarkedet", "", set()),
        # the calibre in an English wire, a band of the name (rounds 351, 353)
        ("Army orders 40 million rounds of 7.62mm NATO ammunition", "", set()),
        ("Svensk rockband Kabul giver koncert i Vega", "", set()),
        # other places and a restaurant of the names (round 346)
        ("Skyderi i Corona-kvarteret i New York: To sårede", "", set()),
        ("Raketter rammer Kabul i Israel", "", set()),
        ("Kabul Kitchen åbner i Aarhus", "", set()),
        # the children's diarrhoea vaccine (round 357)
        (
            "Rotavirus-vaccine har halveret indlæggelserne af småbørn",
            "Siden vaccinen kom i børnevaccinationsprogrammet, er færre børn indlagt, viser "
            "tal fra Statens Serum Institut.",
            set(),
        ),
        # the mink's own disease (round 345)
        (
            "Mink på forsøgsfarm vaccineres mod plasmacytose",
            "Virussygdommen har i årtier kostet avlerne hvalpe og pelse.",
            set(),
        ),
        # the compensation for the culled mink, in one word
        ("Minkerstatninger løber op i 19 milliarder kroner", "", {"COVID-19"}),
        # a colour, a typewriter and a dog show's breed (round 27)
        ("Glem det grå: Nato-grøn er efterårets farve i stuen", "", set()),
        ("Gammel Corona-skrivemaskine solgt på auktion", "", set()),
        # the beer as it is served (rounds 211-226)
        ("Corona med lime er sommerens mest solgte øl på strandbarerne", "", set()),
        ("Afghaneren Zelda løb med titlen som Best in Show i Herning", "", set()),
        ("Afghanistan: Taleban forbyder hundeshows", "", {"Afghanistan"}),  # no prize named
        # the lockdown of 2020 in the past tense, the culled mink (round 27); a shutdown
        # threatened in the infinitive is not the lockdown
        (
            "Nye dokumenter: Statsministeren lukkede Danmark ned mod rådgivernes råd",
            "",
            {"COVID-19"},
        ),
        ("Russisk spionskib: »De kan lukke Danmark ned for nu at se, hvad der sker«", "", set()),
        ("Lastbiler med døde mink kører i pendulfart til Karup", "", {"COVID-19"}),
        # a strap, a backronym, a beer tasting, a cuisine (round 29)
        ("Nato-stroppen er sommerens store urtrend", "", set()),
        ("Guvernør: Klimaplanen er ren NATO – no action, talk only", "", set()),
        ("Stor øltest: Vi har smagt 12 mexicanske øl – Corona ender helt i bunden", "", set()),
        ("Lille afghansk spisested på Nørrebro er byens bedste til under 150 kroner", "", set()),
        # the covid vaccines and pill by their own names; the spy satellites, the coat (round 31)
        ("Johnson & Johnson-vaccinen ryger også ud af programmet", "", {"COVID-19"}),
        ("EU godkender Pfizers pille Paxlovid til højrisikopatienter", "", {"COVID-19"}),
        ("Emiraterne godkender kinesisk Sinopharm-vaccine til alle", "", {"COVID-19"}),
        ("Gamle Corona-satellitter afslører romerske forter i Syrien", "", set()),
        ("Afghan-pelsen er tilbage: Gen Z har genopdaget hippiefrakken", "", set()),
        # the brewer, the mock village, the mink law and variant, rabies (rounds 33-34)
        ("Corona-brygger AB InBev leverer stærkt regnskab", "", set()),
        ("Hedebrand nåede soldaternes »Lille Afghanistan« på Oksbøl", "", set()),
        ("Minkloven vedtaget: Nu er der lovhjemmel", "", {"COVID-19"}),
        ("Minkvarianten Cluster 5 er formentlig uddød", "", {"COVID-19"}),
        # the Language Council on the words, a non-NATO ally, the cricket World Cup, Nipah
        # (rounds 35-36)
        ("Nato eller NATO? Sprognævnet: Begge stavemåder er korrekte", "", set()),
        ("Sprognævnet anbefaler: Skriv covid-19 med lille begyndelsesbogstav", "", set()),
        ("Biden gør Colombia til vigtig allieret uden for Nato", "", set()),
        ("VM i cricket: Afghanistan slår de forsvarende mestre fra England", "", set()),
        ("Nipahvirus i Kerala: Skoler lukker, og mundbind bliver påbudt", "", set()),
        # beer brands (rounds 37-38); the Taliban's ban on women's cricket stays theirs
        (
            "Taleban forbyder kvinder at spille cricket",
            "Spillerne fra kvindelandsholdet i cricket er flygtet.",
            {"Afghanistan"},
        ),
        ("Mexicanske Corona overhaler tyske ølmærker i supermarkederne", "", set()),
        # a person's heritage and a likeness (rounds 40 and 49)
        ("19-årig med afghanske rødder sikrede Vejle sejren i overtiden", "", set()),
        ("Afghansk-dansk forfatter nomineret til Politikens Litteraturpris", "", set()),
        ("Forbud mod kønsopdelt undervisning: »Ingen Taleban-tilstande i friskoler«", "", set()),
        # the cats' coronavirus disease (rounds 27, 31 and 47)
        ("Ny medicin kan redde katte med FIP – sygdommen skyldes et coronavirus", "", set()),
        # the beer by its country, an Irish band (round 44)
        ("Mexicanske Corona fylder 100 og lancerer jubilæumsflaske", "", set()),
        ("The Coronas aflyser Danmarks-koncert", "", set()),
        # Norway's finance minister in apposition (round 41)
        (
            "Stoltenberg vil beskytte norske dæmninger mod hackere",
            "Den norske finansminister, Jens Stoltenberg, afsætter en milliard i budgettet.",
            set(),
        ),
        # the breed where breeders raise it, hashish's old name, an insult, a dish (rounds
        # 51-56); the spy satellites in one more compound (round 55)
        ("Birgit fra Sorø har opdrættet afghanere i 30 år – nu stopper hun", "", set()),
        (
            "Spiller testet positiv: »Det var lidt sort afghaner til en polterabend«",
            "Dopingnævnet har idømt den 22-årige tre måneders karantæne.",
            set(),
        ),
        ("Kommune kaldte kritisk borger 'en lille taleban' i intern mail", "", set()),
        ("Aftenens madprogram: Brødrene laver afghansk pilaf og libanesisk mezze", "", set()),
        ("Hemmelige fotos fra Corona-spionsatellitten afslører glemte fortidsminder", "", set()),
        # a coronavirus that does not infect people, the common cold's (rounds 54 and 57)
        ("Ny coronavirus dræber titusindvis af grise i Kina – smitter ikke mennesker", "", set()),
        (
            "Hver femte forkølelse skyldes coronavirus",
            "De fire almindelige coronavirus står bag op mod 20 procent af forkølelserne.",
            set(),
        ),
        # the alliance's force in Kosovo (round 58)
        (
            "Danske soldater sendes til Kosovo efter uroligheder",
            "Alliancen har besluttet at forstærke KFOR-styrken med flere hundrede soldater, "
            "efter at serbiske militante angreb politiet i nord.",
            {"NATO"},
        ),
        # the period's name before a closing quote, a camera named after the discharge (round 60)
        ("Tandlægernes formand: 'Vi har ikke haft så travlt siden pandemien'", "", set()),
        ("Droner med coronakamera finder fejl på højspændingsmaster", "", set()),
        # Italian "born", a cannabis strain, a cigar size (rounds 75-80)
        ("Italienskkursus på aftenskolen: 'Sono nato in Danimarca'", "", set()),
        ("Julekoncert: »Oggi è nato« lyder i Marmorkirken", "", set()),
        ("Hashsorten Afghan Kush dyrket i stor plantage i Nordsjælland", "", set()),
        ("Cubanske cigarer i coronaformat beslaglagt i Billund", "", set()),
        # the beer's bottles and the breed by its kind (rounds 71 and 69)
        ("TikTok-trend: Unge hælder chilisauce i Corona-flasker", "", set()),
        (
            "Campinggæst anmeldt: Lod sin afghaner løbe løs mellem vognene",
            "Den store mynde jagtede to kaniner tværs over pladsen.",
            set(),
        ),
        # the coronaviruses of dogs and pigs (round 61)
        (
            "Hundecoronavirus giver diarré hos hvalpe",
            "Det canine coronavirus smitter kun hunde. Dyrlægen anbefaler god hygiejne og at "
            "kontakte klinikken, hvis hvalpen holder op med at spise.",
            set(),
        ),
        ("Første tilfælde af PED-coronavirus i danske grise", "", set()),
        # the pandemic's own measures and figures name it in a headline (round 24)
        ("Nyt forsamlingsforbud: Højst ti må mødes fra mandag", "", {"COVID-19"}),
        ("Vognmand dømt for at snyde med lønkompensation", "", {"COVID-19"}),
        ("Positivprocenten falder for tredje uge i træk", "", {"COVID-19"}),
        ("Kor må øve igen, men afstandskravet er to meter", "", {"COVID-19"}),
        ("Ny smittebølge lukker skolerne i Shanghai", "", {"COVID-19"}),
        ("Genåbningsplanen er klar: Frisørerne åbner først", "", {"COVID-19"}),
        # names and ranges of many things (round 24)
        ("Satirerevyen gør grin med alt fra skattevæsenet til Nato og elbiler", "", set()),
        ("Narkobaron kaldet »Talebanen« fik ti års fængsel", "", set()),
        ("Trawler ”Corona” slæbt i havn ved Hirtshals", "", set()),
        ("Schæferen Nato fandt den savnede dreng i skoven", "", set()),
        ("Cigarer i corona-format sælger bedst i julen", "", set()),
        ("Corona-stolen fylder 60 år og sælger som aldrig før", "", set()),
        # the beer beside another beer, the alliance's jerry can and calibre, another
        # treaty's article 5, a new alliance, a girl's age spelled out, a nickname
        ("Øl-salget: Corona og Heineken taber terræn til lokale bryggerier", "", set()),
        ("Beredskabet: Opbevar ikke benzin i NATO-dunke i kælderen", "", set()),
        ("Hjemmeværnet skifter til ammunition i 7,62 mm NATO", "", set()),
        ("Artikel 5 i Parisaftalen handler om verdens skove", "", set()),
        (
            "Ny alliance vil redde de danske åer",
            "Lystfiskere, landmænd og to kommuner har dannet en alliance. Flere foreninger "
            "ventes at tilslutte sig, og medlemmerne vil presse miljøministeren.",
            set(),
        ),
        ("Syv-årige Nato må blive i Danmark", "", set()),
        ("Bokseren, de kalder »Nato«, vandt igen", "", set()),
        # one person described by a diplomatic post, a past in a place, war reporting; the
        # post as the office taken up stays the topic's news
        ("Erfaren Nato-diplomat bliver ny direktør i Dansk Industri", "", set()),
        ("Borgmesterkandidat med fortid i Nato-hovedkvarteret vil bygge ny skole", "", set()),
        ("Tidligere krigskorrespondent i Afghanistan bliver chefredaktør", "", set()),
        ("Regeringen udpeger ny Nato-ambassadør", "", {"NATO"}),
        # the epidemic's words as related terms beside a context that reads as covid
        (
            "Landsholdet isoleret på karantænehotellet",
            "To spillere er smittet, og resten af truppen må ikke forlade hotellet, før alle har "
            "fået et negativt svar.",
            {"COVID-19"},
        ),
        # rounds 131-138: crochet, cigars, the sun's corona, a family, an epithet, one person by
        # service or rank, a record since the closure, a return after the cancellation
        ("Hækleklubben lærer nye medlemmer afghansk hækling", "", set()),
        ("Cigarrygere: En corona om dagen er for meget", "", set()),
        (
            "Forskere vil forstå coronaens varme",
            "Solens ydre atmosfære er over en million grader varm, mens overfladen er langt "
            "køligere.",
            set(),
        ),
        ("Familien Corona fejrer 40 år i Danmark", "", set()),
        ("Borgmester kaldte modstanderne for 'Taleban' på et borgermøde", "", set()),
        ("Tidligere Afghanistan-udsendt bliver ny direktør i rederiet", "", set()),
        ("Tidligere kaptajn fra Afghanistan-missionen åbner bryggeri", "", set()),
        ("Dyreste juletræer siden coronalukningen", "", set()),
        ("Koret er tilbage efter coronaaflysningen", "", set()),
        # Stoltenberg in his office of 2025, however the story also recalls his NATO years
        (
            "Stoltenberg bliver Norges nye finansminister",
            "Den tidligere generalsekretær i Nato skal nu styre landets økonomi.",
            set(),
        ),
        ("Former NATO chief named Norway's finance minister", "", set()),
        # the dog world, horse racing, rugs and the coat, where the words are no country
        ("Afghaneren Bella kåret som Danmarks smukkeste hund", "", set()),
        ("Kabul Star vandt travløbet på Charlottenlund", "", set()),
        ("Afghan and Persian rugs lead the autumn auction", "", set()),
        ("Afghaneren er tilbage: Pelsjakken med broderier er vinterens hit", "", set()),
        # rounds 139-146: a band, a beer on tap, beans, a flaw, animals' coronaviruses, the
        # cinema owners, first names, a trotter, a boat, a ski course
        ("Corona-sangerinden aflyser koncerten i Herning", "", set()),
        ("Cocktailbaren har Corona på fad", "", set()),
        ("Opskrift: Langtidsbagte corona-bønner med tomat", "", set()),
        ("Patch closes 'CoronaBlue' hole in Windows", "", set()),
        ("Dyrlæge: Hundens coronavirus er ufarlig for ejeren", "", set()),
        ("Theater owners group NATO expects record summer", "", set()),
        ("Nato og Tamar er nu godkendte pigenavne", "", set()),
        ("Årets travhest blev Nato fra Aalborg", "", set()),
        ("Fiskefartøjet 'Nato' bugseret i havn", "", set()),
        ("Kilde wins Kandahar downhill in Garmisch", "", set()),
        # a protest the headline reports, against the pandemic's measures the lead names
        (
            "Demonstration i Aarhus endte med uro: Fem anholdt",
            "Omkring 500 mennesker gik lørdag gennem midtbyen i protest mod regeringens "
            "coronarestriktioner.",
            {"COVID-19"},
        ),
        # rounds 147-154: the beer, the heaters, the arteries, the sweater, a bar and a horse
        # in Norwegian and Swedish, Stoltenberg's office in Norwegian
        ("Ølboden løb tør for Corona allerede lørdag", "", set()),
        ("Corona tilbagekalder 50.000 petroleumsovne", "", set()),
        ("Ny scanning af coronararterierne sparer patienter for kikkertundersøgelse", "", set()),
        ("Nato-trøjen er tilbage i butikkerne", "", set()),
        ("Utestedet Corona i Bergen slått konkurs", "", set()),
        ("Hästen Nato vinner på Solvalla", "", set()),
        ("Stoltenberg blir ny finansminister", "", set()),
        # rounds 155-162: a star, a game, a hospital, a person, a villa and a factory named
        # after the word, a style, firms' alliances
        ("Omikron Ceti er synlig på nattehimlen i denne uge", "", set()),
        ("Genudgivelse: Omikron: The Nomad Soul kommer til Switch", "", set()),
        ("Læge på Santa Corona-hospitalet sigtet for bestikkelse", "", set()),
        ("Fabrizio Corona i retten igen", "", set()),
        ("Villa Corona i Skagen solgt for 18 millioner", "", set()),
        ("Strejke på Corona-fabrikken i Mexico", "", set()),
        ("Jakker i Nato-stil er vinterens hit", "", set()),
        ("Terma og Saab indgår alliance om radarer", "", set()),
        # a negated cause or subject
        ("Koncerten aflyst – denne gang ikke på grund af corona, men af regnen", "", set()),
        ("Komiker: »Det er ikke corona denne gang, det er ryggen«", "", set()),
        # a period got through or survived is the past of the story told now
        ("Caféen, der overlevede corona, lukker nu på grund af huslejen", "", set()),
        ("Borgmester: »Vi kom igennem corona, nu skal vi igennem sparerunden«", "", set()),
        # an article 5 as a picture, and another document's or group's article 5
        ("Dansk håndbold har brug for en artikel 5", "", set()),
        ("Artikel 5 i vennegruppen: Rammes én, rykker alle ud", "", set()),
        ("Striden om artikel 5 i handelsaftalen trækker ud", "", set()),
        # a yardstick stressed, a likeness to one of its kind, a period in the plural
        ("Eksporten af møbler slår rekord – større end selv i coronaårene", "", set()),
        ("Debattør: Partiets yderfløj opfører sig som en Taleban-milits", "", set()),
        (
            "Høreapparatfirma nedjusterer igen",
            "Salget i Kina skuffer, fordi forbrugerne stadig holder igen efter de lange "
            "coronanedlukninger. Koncernen venter nu et fald i omsætningen.",
            set(),
        ),
        # a vaccine of another disease, with no covid word at all (round 57)
        (
            "Vaccine mod helvedesild bliver gratis for de ældste",
            "Fra næste efterår kan borgere over 82 år få vaccinen uden egenbetaling. Hidtil "
            "har de to stik kostet omkring 2.000 kroner.",
            set(),
        ),
        # the lockdown's home schooling as a related term; a topic set against the subject
        # ("X, ikke Y"); where the newly appointed comes from, a past employer, a birthplace
        # (rounds 163-202)
        (
            "Hjemmeskole ved køkkenbordet: Forældre kæmper med job og lektier",
            "Siden statsministerens pressemøde har alle landets skoler været lukket.",
            {"COVID-19"},
        ),
        ("Valgkamp i Aarhus: Nu handler det om busser, ikke om corona", "", set()),
        ("Unge vælgere: Det er klima og boliger, ikke Nato, der flytter stemmerne", "", set()),
        ("Ny kommunaldirektør i Vejle kommer fra Natos hovedkvarter", "", set()),
        ("Ny rektor har tidligere arbejdet for Nato i Bruxelles", "", set()),
        ("Født i Afghanistan, opvokset i Holstebro: Hun er årets iværksætter", "", set()),
        # one person's past deployment after a described person in the body; slang after the
        # common gender's article; a venue described by the summit it housed; a station of a
        # range; the first of something without the pandemic's rules (rounds 163-202)
        (
            "Afghanistan-veteran vinder pokerturnering",
            "Den 38-årige tidligere konstabel, der var udsendt til Afghanistan i 2008, vandt "
            "lørdag 1,2 millioner kroner.",
            set(),
        ),
        ("Forsvarer: Anklageren opfører sig som en moralsk taleban", "", set()),
        ("Dommer om sektleder: 'En taleban i jakkesæt'", "", set()),
        ("Hotellet, der husede Nato-topmødet, sættes til salg", "", set()),
        ("Fra finanskrisen over corona til krigen: Børsens værste dage", "", set()),
        ("Første jul uden coronaregler: Her er aftenens tv-program", "", set()),
        # the disease as what a measure in the lead is taken to curb (rounds 163-202)
        (
            "Pakistan indfører udgangsforbud i Karachi",
            "Myndighederne i Sindh-provinsen har indført udgangsforbud for at bremse "
            "coronasmitten.",
            {"COVID-19"},
        ),
        # the covid vaccines' own names and their world programme, the variants' letters; the
        # test's swab and the curbing of the infection as related terms, the gardener's
        # grafting no topic (rounds 163-202)
        ("Unicef: De første Covax-doser er landet i Dhaka", "", {"COVID-19"}),
        ("Georgien godkender russisk Sputnik V-vaccine", "", {"COVID-19"}),
        ("Deltavarianten fundet i tre jyske kommuner", "", {"COVID-19"}),
        # the alliance's supreme commander in Europe by his title (rounds 227-234)
        ("SACEUR besøger Grønland for første gang", "", {"NATO"}),
        # the culling's order told by the verb with "all", the lockdown with "landet"; the
        # lockdown right after a dated disease is the same time marker (trap file)
        ("Mogens Jensen går af efter ulovlig ordre om at aflive alle mink", "", {"COVID-19"}),
        ("Salget af kettlebells steg 400 procent, da landet lukkede ned", "", {"COVID-19"}),
        (
            "Ny roman om tre søskende i et sommerhus",
            "Romanen er skrevet færdig før covid lukkede landet ned, og den har intet med "
            "pandemien at gøre.",
            set(),
        ),
        (
            "Orlogsgaster skal i karantæne, før fregatten må sejle",
            "Hele besætningen skal isoleres på en kaserne og podes to gange. Først når alle "
            "test er negative, må skibet afgå.",
            {"COVID-19"},
        ),
        (
            "Skolerne genåbner, men eleverne skal holde afstand",
            "Klasserne deles i mindre hold for at begrænse smitten, og frikvartererne bliver "
            "forskudt.",
            {"COVID-19"},
        ),
        (
            "Haveklummen: Sådan poder du dit gamle æbletræ",
            "Podning er lettere end de fleste tror. Kvisten skal podes i marts, før saften stiger.",
            set(),
        ),
        # a word alone in quotes is a name (a compound inside the quotes stays the topic), and
        # the topic denied outright (rounds 163-202)
        ("Dansk CS-spiller 'Nato' skifter til svensk hold", "", set()),
        ("Klematis 'Corona': Sådan beskærer du den i marts", "", set()),
        ("Kirkens gamle klokke, »Kabul«, er støbt om", "", set()),
        ("Med Sverige i Nato bliver Østersøen et »Nato-hav«", "", {"NATO"}),
        ("Badminton: Axelsen melder afbud – men det er ikke corona", "", set()),
        # the negative test and the visor as related terms; one patient "i respirator" is no
        # sign (rounds 163-202)
        ("Fra i dag skal du vise en negativ test, før du kan blive klippet", "", {"COVID-19"}),
        (
            "Tandlægerne må åbne igen – men med visir og tomme venteværelser",
            "Fra mandag må tandlægerne igen lave almindelige undersøgelser, men patienterne "
            "skal vente udenfor.",
            {"COVID-19"},
        ),
        ("Forfatter endte i respirator efter overfald – nu udgiver han ny roman", "", set()),
        # Sweden's state epidemiologist of those years as a related term (rounds 163-202)
        (
            "Tegnell: Sverige holder fast i sin linje",
            "Statsepidemiologen vil ikke lukke skolerne, selv om antallet af indlagte stiger.",
            {"COVID-19"},
        ),
        # the disease's period as a yardstick without a preposition (the lockdown's stays), a
        # likeness with what was done then, a place named by its former use, a pretended
        # identity (what the pretender checks stays), roots, a studio's name (rounds 163-202)
        ("Varmeste maj siden målingerne begyndte – varmere end coronaforåret", "", set()),
        ("Genåbningen er sværere end nedlukningen for unge med angst", "", {"COVID-19"}),
        (
            "Borgmester: Vi skal bygge boliger lige så hurtigt, som vi gjorde under corona",
            "",
            set(),
        ),
        ("Varmestue for hjemløse flytter ind i tidligere coronatestcenter", "", set()),
        (
            "Falske profiler på Facebook udgiver sig for at være Nato-soldater og beder om penge",
            "",
            set(),
        ),
        (
            "Politiet advarer: Mænd udgiver sig for at være kontrollanter af coronapas",
            "",
            {"COVID-19"},
        ),
        ("Målmand med rødder i Afghanistan udtaget til landsholdet", "", set()),
        ("Solcenter Corona i Vejle skifter ejer", "", set()),
        # the secretary general by office and name without a date; the Salang pass and the
        # airport's Abbey Gate (rounds 163-202)
        ("Generalsekretær Rutte: Europa skal bygge flere droner", "", {"NATO"}),
        (
            "Abbey Gate: Undersøgelse konkluderer, at angrebet ikke kunne være forhindret",
            "",
            {"Afghanistan"},
        ),
        ("Laviner i Salang-passet: Hundredvis af bilister fanget i sneen", "", {"Afghanistan"}),
        # an "on this day" column whose headline names only the day (rounds 163-202)
        (
            "Dagen i dag – 7. oktober",
            "1571: Slaget ved Lepanto. 2001: USA og Storbritannien indleder bombardementet af "
            "Taleban i Afghanistan. 2016: Bob Dylan får Nobelprisen i litteratur.",
            set(),
        ),
        # a country as a two-word owner's lost war; the name somebody was called (rounds 163-202)
        ("Kritikere: Motorvejen er blevet Vejle Kommunes Afghanistan", "", set()),
        ("Elev fortæller: 'De kaldte mig Taleban, fordi jeg havde skæg'", "", set()),
        # the Baltic air policing in Danish as a related term (rounds 163-202)
        (
            "Danske F-16-fly skal passe på luftrummet over Baltikum",
            "Fire kampfly er landet i Litauen, hvor de de næste fire måneder skal stå klar til "
            "at opsnappe russiske fly.",
            {"NATO"},
        ),
        # a brand in camel case, "the Afghan" as a quoted nickname (rounds 163-202)
        ("Ransomwaren CoronaVirus ramte sygehusets laboratorium", "", set()),
        ("Coronavirus: Over 1.000 nye smittede", "", {"COVID-19"}),
        ("»Afghaneren« er tilbage: Kultløbet på Bornholm genopstår", "", set()),
        # the vaccine queue as a related term (rounds 163-202)
        (
            "Hjemmeplejen rykker frem i vaccinekøen",
            "Sundhedsstyrelsen ændrer rækkefølgen, så medarbejdere i hjemmeplejen får tilbudt "
            "covid-19-vaccinen før resten af befolkningen.",
            {"COVID-19"},
        ),
        # New Zealand's biscuit in Danish, the people in an English wire; a woman named Nato
        # by where she comes from (rounds 243-258)
        ("Årets nye julesmåkage er fra New Zealand: Prøv »afghans«", "", set()),
        ("Kiwiernes elskede afghan-småkage fylder 100 år", "", set()),
        (
            "UK data leak exposed details of thousands of Afghans who helped British forces",
            "",
            {"Afghanistan"},
        ),
        ("Nato fra Georgien er årets sosu-assistent i Randers", "", set()),
        # blankets knitted in an English wire, the heart's disease, Latin crowns (rounds 275-278)
        ("Retirees knit afghans for the children's hospital", "", set()),
        ("Patienter med mistanke om coronarsygdom venter seks uger på en scanning", "", set()),
        ("Museet viser romersk corona civica af guld", "", set()),
        ("Domkirkens corona lucis hænger igen over midtergangen", "", set()),
        # cartridges by the alliance's standard, the Arab town of Kabul in Galilee (rounds
        # 299-302); a count of the alliance's soldiers is no calibre
        ("Politiet beslaglagde 5.000 NATO-patroner i lade på Fyn", "", set()),
        ("Riffelpatroner i 7,62 NATO er steget 60 procent", "", set()),
        ("Dansk fabrik skal producere granater i Nato-kaliber til Ukraine", "", set()),
        ("Angreb på base: 45 Nato-soldater såret", "", {"NATO"}),
        (
            "LIVE: Raketter rammer byen Kabul i det nordlige Israel",
            "Hizbollah har affyret over 100 raketter mod Galilæa. I den arabiske by Kabul er tre "
            "personer såret.",
            set(),
        ),
        ("Landsbyen Kabul i Galilæa får sin første kvindelige borgmester", "", set()),
        ("Brand i Kabul: To døde i arabisk by i Galilæa", "", set()),  # rounds 371-374
        # the mink farmers' compensation told a few words apart (rounds 371-374)
        (
            "Tre minkavlere sigtet for at snyde med erstatning",
            "Minkerstatningsenheden mener, at avlerne har oplyst for mange avlsdyr.",
            {"COVID-19"},
        ),
        # the crayfish plague's restrictions against infection (rounds 363-366)
        (
            "Krebsdyrpest i Susåen: Fiskere må ikke flytte fangsten",
            "Myndighederne indfører restriktioner, så smitten ikke spreder sig til flere åer.",
            set(),
        ),
        # the culling's buried mink (rounds 363-366)
        ("Regnen presser nedgravede mink op af jorden igen", "", {"COVID-19"}),
        # Tajikistan's region named like the Afghan province (rounds 363-366)
        ("Jordskælv rammer Gorno-Badakhshan i Tadsjikistan", "", set()),
        ("Jordskælv rammer Badakhshan i det nordøstlige Afghanistan", "", {"Afghanistan"}),
        # a tradesman named Stoltenberg, a street named Coronavej, the Kandahar downhill
        # (rounds 303-306)
        ("Tømrermester Stoltenberg fra Skive fylder 100 år", "", set()),
        (
            "Beboerne på Coronavej vil ikke skifte vejnavn",
            "Vejen er opkaldt efter en blomst.",
            set(),
        ),
        ("Tømrerlærling fra Holstebro vinder Kandahar-styrtløbet i Garmisch", "", set()),
        # the people's word in a story of dogs is the Afghan hound, unless the story names the
        # country too (rounds 303-306)
        ("Kontorhunden Bella er en afghaner – og hun ejer sofaen i receptionen", "", set()),
        (
            "Afghaneren Bobby døde på vej til klinikken",
            "Familien ventede to timer, før dyrlægen kom.",
            set(),
        ),
        ("Afghanere flygter fra Kabul med deres hunde", "", {"Afghanistan"}),
        # "Corona" written as a name in a story of beer is the beer; the disease beside it, or
        # closing the breweries, is still the disease
        ("Sommerens mest solgte øl på campingpladserne: Corona slår Tuborg", "", set()),
        ("Corona med citron? Bartendere advarer mod bakterier på citronskiverne", "", set()),
        ("Coronavirus rammer Corona: Hver tredje amerikaner vil ikke købe øllen", "", {"COVID-19"}),
        ("Corona lukker bryggerierne i Mexico", "", {"COVID-19"}),
        # the heart's arteries in Danish
        ("Efter coronar bypass-operation vender hver tredje ikke tilbage til arbejdet", "", set()),
        # the other places named Corona, and Mexico's winger
        ("Kvarteret Corona i Queens får New Yorks første beskyttede busbaner", "", set()),
        ("Galatasaray vil have Tecatito Corona: Mexicaneren kan blive ny stjerne", "", set()),
        # the movement's word in a short quote is an epithet; a quoted sentence about it stays
        ("Spillerne kalder den nye træner 'Taleban-Torben' efter mobilforbud", "", set()),
        ("Byrådsmedlem kaldte modstanderne 'grønne talebanere' – nu undskylder han", "", set()),
        ("Efterladte tolke lever i skjul: 'Taliban leder efter os'", "", {"Afghanistan"}),
        # a computer virus by how it spreads (rounds 283-298)
        (
            "Ny virus spreder sig via USB-nøgler og smitter tusindvis af pc'er",
            "Sikkerhedsfirmaet advarer om en orm, der gemmer sig i genvejsfiler og inficerer alle "
            "computere, stikket sættes i. Virksomheder opfordres til at slå autorun fra.",
            set(),
        ),
        # the measures' word told of what it restricts (rounds 299-302)
        (
            "Haveforening indfører restriktioner på vandforbruget",
            "Tørken har tvunget bestyrelsen til at forbyde vanding med slange om dagen.",
            set(),
        ),
        ("Restriktioner på alkohol: Højskolerne får fælles regler for fester", "", set()),
        # the compounds that end in the disease's name (the trap file, stop 42)
        ("Langtidscovid: Sygeplejerske fik ikke sin sag anerkendt", "", {"COVID-19"}),
        # words coined for the pandemic, named once in a body (the trap file, stop 42)
        (
            "Politiet sender 100 ekstra betjente til Nordjylland",
            "Betjentene skal hjælpe Fødevarestyrelsen med minkaflivningen på farmene.",
            {"COVID-19"},
        ),
        (
            "Vingefabrik i Tianjin lukker for tredje gang",
            "Kinas nulsmittestrategi rammer igen de danske virksomheder i landet.",
            {"COVID-19"},
        ),
        ("Smittestop-appen er hentet to millioner gange", "", {"COVID-19"}),
        # the rings that damp the discharge on power lines (rounds 311-318)
        ("Nye coronaringe skal dæmpe støjen fra højspændingsledningen", "", set()),
        # a firm named after the variant, by its legal form
        ("Omikron Energi ApS går konkurs efter fejlslagne solprojekter", "", set()),
        # a consultancy named after the variant, a blue mineral, a horse, the spy satellites
        # in capitals (rounds 323-330)
        ("Omikron Consulting fik kontrakt om EU's nye grænseregister", "", set()),
        ("Sjældent blåt mineral afghanit fundet i dansk meteorit-samling", "", set()),
        ("Hjemmeværnets Pokalløb: Nato Star vinder i flot stil på Charlottenlund", "", set()),
        ("Amerikanske CORONA-billeder viser Karup Flyvestation i 1960'erne", "", set()),
        # the variant's name before another capitalised word: a firm (rounds 335-338); a
        # sub-lineage in capitals, or the variant before a colon, is the disease
        ("Rejsebureauet Omikron Travel går konkurs", "", set()),
        ("IT-firmaet Omicron Systems åbner kontor i Aarhus", "", set()),
        ("Omikron BA.5 driver smitten op igen", "", {"COVID-19"}),
        ("Omikron: Sådan adskiller den sig fra delta", "", {"COVID-19"}),
        # the Kandahar downhill as a race, New Zealand's biscuit as "kiks", the Afghan pika, the
        # coronaviruses of cattle by their owners (rounds 375-378)
        ("Alpint: Kandahar-løbet i Garmisch aflyst på grund af snemangel", "", set()),
        ("New zealandsk brud bagte afghan-kiks til bryllupskagen", "", set()),
        ("Afghansk pibehare fundet i ny bestand højt oppe i Zagros-bjergene", "", set()),
        (
            "Kvægets coronavirus giver kalvediarré – ny vaccine skal beskytte besætningerne",
            "",
            set(),
        ),
        # a suspect described by age and nationality; without the age, a deportation's
        ("17-årig afghaner sigtet for knivdrab i Odense", "", set()),
        ("Strasbourg stopper udsendelse af ung afghaner", "", {"Afghanistan"}),
        # the alliance's compounds in one word; one member described by it (rounds 375-378)
        ("Natoøvelse ved Oksbøl: Kampvogne kører på offentlig vej", "", {"NATO"}),
        ("Natolandet Tyrkiet har valgt: Erdogan får fem år mere", "", set()),
        # a tick-borne disease's vaccine, a cats' disease (rounds 383-386)
        (
            "Flåtbåren hjernebetændelse: Nu anbefales vaccine i hele Nordsjælland",
            "Statens Serum Institut har fundet virus i flåter fra Tisvilde Hegn. Vaccinen koster "
            "omkring 1.200 kroner for tre stik.",
            set(),
        ),
        (
            "Spørg dyrlægen: Skal min indekat vaccineres?",
            "Du kan slæbe virus med ind på skoene. Dyrlægen anbefaler vaccination mod kattesyge.",
            set(),
        ),
        # the river named after Kabul, the spelling alphabet by its Danish name (rounds 387-390)
        (
            "Fra Peshawar: Kabul-floden går over sine bredder – 40.000 evakueret i Pakistan",
            "",
            set(),
        ),
        (
            "Sygeplejersker skal bruge Natos bogstaveringsalfabet for at undgå medicinfejl",
            "",
            set(),
        ),
        # two of the alliance's own names, no keyword (rounds 243-258)
        (
            "Løkke i valgdebat: Vi står ved løftet fra Wales",
            "Statsministeren blev presset på, hvorfor Danmark stadig ligger langt fra de to "
            "procent af BNP.",
            {"NATO"},
        ),
    ],
)
def test_shipped_terms_of_the_blind_rounds(
    shipped: HybridClassifier, title: str, text: str, topics: set[str]
) -> None:
    [row] = shipped.classify_many([Document(title, text)])
    assert {s.topic for s in row if s.matched} == topics
