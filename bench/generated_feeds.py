"""Generated Danish feeds for the polling benchmarks (`bench/poll.py`, `bench/scale.py`): DR-like
RSS 2.0 and TV 2-like Atom, 20-50 items each, and the stand-in server process that serves them
with the validators and compression real outlets send. Seeded, so every run serves the same
feeds; kept apart from the benchmarks so both measure the same traffic.
"""

from __future__ import annotations

import gc
import html
import random
import re
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from multiprocessing.connection import Connection

from _common import serve

__all__ = ["BenchFeed", "Item", "make_feeds", "server_child"]

# --- Danish feed content -------------------------------------------------------------------

OUTLETS = [
    ("DR", "www.dr.dk", ["Seneste nyt", "Indland", "Udland", "Politik", "Penge", "Kultur"]),
    ("TV 2", "nyheder.tv2.dk", ["Seneste", "Samfund", "Krimi", "Udland", "Politik"]),
    ("Politiken", "politiken.dk", ["Senestenyt", "Indland", "Internationalt", "Kultur"]),
    ("Berlingske", "www.berlingske.dk", ["Nyheder", "Politik", "Internationalt", "Business"]),
    ("Jyllands-Posten", "jyllands-posten.dk", ["Seneste", "Indland", "International"]),
    ("Information", "www.information.dk", ["Indland", "Udland", "Kultur"]),
    ("Fyens Stiftstidende", "fyens.dk", ["Odense", "Fyn", "Sport"]),
    ("Nordjyske", "nordjyske.dk", ["Aalborg", "Nordjylland", "Sport"]),
    ("JydskeVestkysten", "jv.dk", ["Esbjerg", "Sønderborg", "Kolding"]),
    ("Altinget", "www.altinget.dk", ["Sundhed", "Forsvar", "Klima", "Uddannelse"]),
]
SUBJECTS = [
    "Regeringen",
    "Folketinget",
    "Statsministeren",
    "Region Hovedstaden",
    "Københavns Kommune",
    "Aarhus Kommune",
    "Politiet",
    "Sundhedsstyrelsen",
    "Forsvaret",
    "Nationalbanken",
    "DSB",
    "Vejdirektoratet",
    "Danske Bank",
    "Novo Nordisk",
    "Mærsk",
    "Landbrug & Fødevarer",
    "Fagbevægelsen",
    "Lærerne",
    "Sygeplejerskerne",
    "Økonomer",
    "Forskere fra Aarhus Universitet",
    "Borgmesteren i Odense",
    "Venstre",
    "Socialdemokratiet",
    "Enhedslisten",
    "De Konservative",
    "Moderaterne",
    "SF",
    "Beredskabet",
    "DMI",
    "Skattestyrelsen",
    "Udenrigsministeren",
    "Forsvarsministeren",
    "Ældre Sagen",
    "Forbrugerrådet Tænk",
    "Rigspolitiet",
]
PREDICATES = [
    "vil skære i",
    "foreslår nye regler for",
    "advarer mod",
    "kritiserer",
    "afviser kritik af",
    "undersøger",
    "investerer milliarder i",
    "varsler stramninger af",
    "får kritik for",
    "bruger flere penge på",
    "indgår aftale om",
    "drøfter",
    "vil styrke",
    "kræver svar om",
    "udskyder beslutning om",
    "lancerer plan for",
]
OBJECTS = [
    "ældreplejen",
    "folkeskolen",
    "boligpriserne i Aarhus",
    "vindmøller på Lolland",
    "cykelstierne i København",
    "togdriften over Storebælt",
    "sygehusene",
    "klimaafgiften",
    "grænsekontrollen",
    "dagpengene",
    "elpriserne",
    "psykiatrien",
    "færgeruterne til Bornholm",
    "Arktis",
    "Grønlands selvstyre",
    "udviklingsbistanden",
    "SU-reformen",
    "fødeafdelingerne",
    "motorvejen ved Vejle",
    "kontanthjælpen",
    "gymnasiereformen",
    "pensionsalderen",
]
#: A few headlines touch the configured topics (NATO, COVID-19, Afghanistan).
TOPIC_OBJECTS = [
    "Nato-topmødet i Haag",
    "Natos krav om to procent",
    "coronapandemiens eftervirkninger",
    "covid-19-vaccinerne til de ældste",
    "Talibans styre i Afghanistan",
    "afghanske tolke",
    "evakueringen fra Kabul",
    "forsvarsalliancens østflanke",
]
PLACES = [
    "Aalborg",
    "Esbjerg",
    "Vejle",
    "Roskilde",
    "Næstved",
    "Svendborg",
    "Herning",
    "Holstebro",
    "Helsingør",
    "Sønderborg",
    "Rønne",
    "Ærø",
    "Nørrebro",
    "Vesterbro",
    "Frederiksberg",
    "Amager",
    "Skagen",
    "Ribe",
    "Viborg",
    "Køge",
]
EVENTS = [
    "Brand i lejlighed – to bragt til skadestuen",
    "Trafikulykke spærrer motorvejen",
    "Storm lukker broen for lette køretøjer",
    "Skybrud oversvømmer kældre",
    "Ny skole åbner efter års forsinkelse",
    "Fabrik lukker med 200 ansatte",
    "Politiet efterlyser vidner efter røveri",
    "Strømsvigt rammer tusindvis af husstande",
    "Rekordmange turister i sommerferien",
    "Færgen aflyser afgange på grund af blæst",
    "Byrådet siger ja til ny letbane",
    "Øl-festival trækker 20.000 gæster",
]
REPORTERS = ["Ritzau", "ministeriet", "en talsperson", "kommunen i en pressemeddelelse", "DR"]
DAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "i weekenden", "i dag"]
FOLLOW_UPS = [
    "Det kan få betydning for tusindvis af danskere.",
    "Oppositionen kalder udspillet for utilstrækkeligt.",
    "Sagen skal behandles i Folketinget efter sommerferien.",
    "Ifølge eksperterne er der tale om et historisk skridt.",
    "Flere borgere har klaget over forholdene i længere tid.",
    "Beslutningen træder i kraft 1. januar.",
    "Der er endnu ikke sat tal på udgifterne, oplyser Finansministeriet.",
    "»Vi tager det meget alvorligt,« siger den ansvarlige chef.",
]

_SLUG = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(_SLUG)).strip("-")[:60]


@dataclass(slots=True)
class Item:
    uid: str
    title: str
    lead: str
    link: str
    published: float


def make_item(rng: random.Random, domain: str, section: str, uid: str, published: float) -> Item:
    if rng.random() < 0.3:
        title = f"{rng.choice(PLACES)}: {rng.choice(EVENTS)}"
        lead = f"{rng.choice(EVENTS)}, oplyser {rng.choice(REPORTERS)} {rng.choice(DAYS)}."
    else:
        obj = rng.choice(TOPIC_OBJECTS) if rng.random() < 0.05 else rng.choice(OBJECTS)
        subject, predicate = rng.choice(SUBJECTS), rng.choice(PREDICATES)
        title = f"{subject} {predicate} {obj}"
        lead = f"{subject} {predicate} {obj}, oplyser {rng.choice(REPORTERS)} {rng.choice(DAYS)}."
    lead += " " + " ".join(rng.sample(FOLLOW_UPS, rng.randint(1, 3)))
    link = f"https://{domain}/{slug(section)}/{slug(title)}-{uid}"
    return Item(uid, title, lead, link, published)


def render_rss(outlet: str, section: str, domain: str, items: list[Item], html_lead: bool) -> bytes:
    """RSS 2.0 as DR writes it: CDATA, non-permalink urn guids, RFC 822 dates."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">\n<channel>\n'
        f"<title><![CDATA[{section} | {outlet}]]></title>\n<link>https://{domain}/</link>\n"
        f"<description><![CDATA[Nyheder fra {outlet}: {section}]]></description>\n"
        f"<language>da</language>\n<lastBuildDate>{_rfc822(items[0].published)}</lastBuildDate>\n"
    ]
    for it in items:
        lead = f"<p>{html.escape(it.lead)}</p>" if html_lead else it.lead
        parts.append(
            f"<item>\n<title><![CDATA[{it.title}]]></title>\n<link>{html.escape(it.link)}</link>\n"
            f'<guid isPermaLink="false">urn:{slug(outlet)}:article:{it.uid}</guid>\n'
            f"<pubDate>{_rfc822(it.published)}</pubDate>\n"
            f"<description><![CDATA[{lead}]]></description>\n</item>\n"
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts).encode("utf-8")


def render_atom(outlet: str, section: str, domain: str, items: list[Item]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>{html.escape(outlet)} – {html.escape(section)}</title>\n"
        f"<id>urn:{slug(outlet)}:{slug(section)}</id>\n"
        f'<link href="https://{domain}/"/>\n<updated>{_iso(items[0].published)}</updated>\n'
    ]
    for it in items:
        parts.append(
            f"<entry>\n<title>{html.escape(it.title)}</title>\n"
            f"<id>urn:{slug(outlet)}:{it.uid}</id>\n"
            f'<link href="{html.escape(it.link)}"/>\n<updated>{_iso(it.published)}</updated>\n'
            f'<summary type="html">{html.escape("<p>" + html.escape(it.lead) + "</p>")}'
            "</summary>\n</entry>\n"
        )
    parts.append("</feed>\n")
    return "".join(parts).encode("utf-8")


def _rfc822(ts: float) -> str:
    from datetime import UTC, datetime

    return format_datetime(datetime.fromtimestamp(ts, UTC), usegmt=True)


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


@dataclass(slots=True)
class BenchFeed:
    path: str
    name: str
    outlet: str
    section: str
    domain: str
    atom: bool
    html_lead: bool
    items: list[Item] = field(default_factory=list)
    serial: int = 0

    def body(self) -> bytes:
        if self.atom:
            return render_atom(self.outlet, self.section, self.domain, self.items)
        return render_rss(self.outlet, self.section, self.domain, self.items, self.html_lead)

    def new_item(self, rng: random.Random, published: float) -> Item:
        self.serial += 1
        uid = f"{self.path.rsplit('/', 1)[-1][:4]}-{self.serial:06d}"
        return make_item(rng, self.domain, self.section, uid, published)


def make_feeds(n: int, seed: int) -> list[BenchFeed]:
    rng = random.Random(seed)
    now = time.time()
    feeds = []
    for i in range(n):
        outlet, domain, sections = OUTLETS[i % len(OUTLETS)]
        section = sections[(i // len(OUTLETS)) % len(sections)]
        feed = BenchFeed(
            path=f"/{slug(outlet)}/{i:04d}-{slug(section)}.xml",
            name=f"{outlet} {section} #{i:04d}",
            outlet=outlet,
            section=section,
            domain=domain,
            atom=i % 5 == 4,  # a fifth are Atom (TV 2-like), the rest RSS 2.0
            html_lead=i % 4 == 1,
        )
        count = rng.randint(20, 50)
        # Newest first, spread over the last two days.
        stamps = sorted((now - rng.uniform(60, 2 * 86400) for _ in range(count)), reverse=True)
        feed.items = [feed.new_item(rng, ts) for ts in reversed(stamps)][::-1]
        feeds.append(feed)
    return feeds


# --- the stand-in server process -------------------------------------------------------------


def server_child(conn: Connection, n: int, seed: int) -> None:
    """Serve ``n`` generated feeds until told to stop (runs in its own process)."""
    from tests.standins.feed_server import FeedServer

    feeds = make_feeds(n, seed)
    gc.collect()
    gc.freeze()  # 70k items need no collecting; full GCs would slow the server down with N
    rng = random.Random(seed + 1)
    counts: dict[str, int] = {}
    with FeedServer() as server:
        for i, f in enumerate(feeds):
            kind = i % 10  # validators as outlets send them: both, ETag only, Last-Modified only
            server.add(
                f.path,
                f.body(),
                content_type="application/atom+xml" if f.atom else "application/rss+xml",
                etag=kind < 9,
                last_modified=kind < 7 or kind == 9,
                gzip=i % 3 == 0,
            )
            counts[f.path] = len(f.items)

        def info() -> tuple[list[str], list[str], int]:
            return (
                [server.url(f.path) for f in feeds],
                [f.name for f in feeds],
                sum(counts.values()),
            )

        def mutate(fraction: float) -> tuple[int, int]:
            """Give ``fraction`` of the feeds 1-3 new items (the oldest drop out)."""
            changed = rng.sample(feeds, max(1, round(len(feeds) * fraction)))
            added = 0
            for f in changed:
                k = rng.randint(1, 3)
                fresh = [f.new_item(rng, time.time()) for _ in range(k)]
                f.items = fresh[::-1] + f.items[:-k]
                server.set_body(f.path, f.body())
                added += k
            return len(changed), added

        def stats() -> dict[str, int]:
            out = {"requests": 0, "full": 0, "not_modified": 0, "items": 0}
            for f in feeds:
                s = server.stats(f.path)
                out["requests"] += s.requests
                out["full"] += s.full
                out["not_modified"] += s.not_modified
                out["items"] += s.full * counts[f.path]
            server.reset_stats()
            return out

        serve(conn, {"info": info, "mutate": mutate, "stats": stats})
