"""OPML from other readers in, topicbot's feeds out; hostile XML refused; comments survive."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import FeedConfig, load_config, parse_config
from bot.opml import (
    OpmlError,
    add_feeds_to_config_text,
    export_opml,
    parse_opml,
    plan_import,
)
from bot.sources.base import SourceState
from bot.store import Store

OPML2 = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Mine nyheder</title></head>
  <body>
    <outline text="Dagblade" title="Dagblade">
      <outline type="rss" text="Politiken – seneste" title="Politiken"
               xmlUrl="https://politiken.dk/rss/senestenyt.rss" htmlUrl="https://politiken.dk/"/>
      <outline type="rss" text="Information" xmlUrl="https://www.information.dk/feed"/>
      <outline text="Regionalt">
        <outline type="rss" title="Fyens Stiftstidende" xmlUrl="feed://fyens.dk/rss"/>
      </outline>
    </outline>
    <outline type="rss" title="DR Indland (fra min gamle læser)"
             xmlUrl="https://www.dr.dk/nyheder/service/feeds/indland/?utm_source=reader"/>
    <outline type="rss" title="Ingeniøren" xmlUrl="https://ing.dk/rss/nyheder"/>
    <outline type="rss" title="Mail" xmlUrl="mailto:redaktion@example.dk"/>
    <outline type="rss" xmlUrl="https://www.altinget.dk/rss"/>
  </body>
</opml>
"""

OPML1 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0"><head><title>Gammel eksport</title></head><body>
<outline text="Ekstra Bladet" xmlurl="https://ekstrabladet.dk/rssfeed/all/"/>
<outline text="Kristeligt Dagblad \xe6\xf8\xe5" XMLURL="https://www.kristeligt-dagblad.dk/rss"/>
</body></opml>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<opml version="2.0"><head><title>&lol9;</title></head><body/></opml>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><head><title>x</title></head>
<body><outline text="&xxe;" xmlUrl="https://dr.dk/rss"/></body></opml>
"""


def test_opml2_nested_outlines_titles_and_categories() -> None:
    doc = parse_opml(OPML2.encode())
    assert doc.title == "Mine nyheder"
    got = [(f.name, f.url, f.category) for f in doc.feeds]
    assert got == [
        ("Politiken", "https://politiken.dk/rss/senestenyt.rss", "Dagblade"),
        ("Information", "https://www.information.dk/feed", "Dagblade"),
        ("Fyens Stiftstidende", "http://fyens.dk/rss", "Regionalt"),
        (
            "DR Indland (fra min gamle læser)",
            "https://www.dr.dk/nyheder/service/feeds/indland/?utm_source=reader",
            None,
        ),
        ("Ingeniøren", "https://ing.dk/rss/nyheder", None),
        ("www.altinget.dk", "https://www.altinget.dk/rss", None),
    ]
    assert doc.feeds[0].html_url == "https://politiken.dk/"
    assert len(doc.skipped) == 1 and "mailto:" in doc.skipped[0]


def test_opml1_latin1_and_attribute_case() -> None:
    doc = parse_opml(OPML1)
    assert [(f.name, f.url) for f in doc.feeds] == [
        ("Ekstra Bladet", "https://ekstrabladet.dk/rssfeed/all/"),
        ("Kristeligt Dagblad æøå", "https://www.kristeligt-dagblad.dk/rss"),
    ]


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL])
def test_doctype_and_entities_are_refused(hostile: str) -> None:
    with pytest.raises(OpmlError, match="DOCTYPE"):
        parse_opml(hostile.encode())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body><outline text='x' xmlUrl='https://dr.dk/rss'", "not well-formed"),
        (b"<rss version='2.0'><channel/></rss>", "root element is <rss>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (b"", "not well-formed"),
    ],
)
def test_broken_files_are_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(data)


def test_export_round_trips() -> None:
    feeds = [
        FeedConfig(name="DR Seneste nyt", url="https://www.dr.dk/nyheder/service/feeds/senestenyt"),
        FeedConfig(name="Jyllands-Posten & co", url="https://jyllands-posten.dk/?a=1&b=2"),
    ]
    data = export_opml(feeds)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b'version="2.0"' in data
    assert [(f.name, f.url) for f in parse_opml(data).feeds] == [(f.name, f.url) for f in feeds]


def test_plan_skips_known_urls_and_makes_names_unique() -> None:
    existing = [
        FeedConfig(name="DR Indland", url="https://www.dr.dk/nyheder/service/feeds/indland"),
        FeedConfig(name="Politiken", url="https://politiken.dk/rss/andet.rss"),
    ]
    plan = plan_import(parse_opml(OPML2.encode()), existing)
    assert [n for n, _ in plan.added] == [
        "Politiken (2)",
        "Information",
        "Fyens Stiftstidende",
        "Ingeniøren",
        "www.altinget.dk",
    ]
    assert any("already configured as 'DR Indland'" in s for s in plan.skipped)


CONFIG = """\
# Mine emner og kilder -- håndskrevet, rør ikke kommentarerne!
topics:
  - id: NATO
    name: {da: NATO, en: NATO}
    keywords: [nato]   # kun nato

feeds:
  # DR først
  - name: DR Indland
    url: https://www.dr.dk/nyheder/service/feeds/indland
    interval: 10m   # hvert tiende minut
  - name: Politiken
    url: https://politiken.dk/rss/andet.rss
  # - name: Gammel kilde
  #   url: https://example.dk/rss

# --- Storage ---
storage:
  path: data/t.sqlite3
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write(tmp_path / "config.yaml", CONFIG)


def test_import_appends_keeps_comments_and_backs_up(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = write(tmp_path / "eksport.opml", OPML2)

    assert main(["feeds", "import", str(opml), "--dry-run", "-c", str(config)]) == 0
    assert "would add 5 of 7 feeds" in capsys.readouterr().out
    assert config.read_text(encoding="utf-8") == CONFIG
    assert not list(tmp_path.glob("config.yaml*.bak"))

    assert main(["feeds", "-c", str(config), "import", str(opml)]) == 0
    assert "adding 5 of 7" in capsys.readouterr().out
    new = config.read_text(encoding="utf-8")
    [backup] = tmp_path.glob("config.yaml.*.bak")
    assert backup.read_text(encoding="utf-8") == CONFIG
    # Every original line is still there, in order; the new ones follow the last feed.
    added = [line for line in new.splitlines() if line not in CONFIG.splitlines()]
    assert "\n".join(line for line in new.splitlines() if line not in added) == CONFIG.rstrip("\n")
    assert new.index("Politiken (2)") < new.index("# - name: Gammel kilde")
    names = [f.name for f in load_config(config).feeds]
    assert names == [
        "DR Indland",
        "Politiken",
        "Politiken (2)",
        "Information",
        "Fyens Stiftstidende",
        "Ingeniøren",
        "www.altinget.dk",
    ]
    # Importing again adds nothing and leaves the file alone.
    assert main(["feeds", "import", str(opml), "-c", str(config)]) == 0
    assert "adding 0 of 7" in capsys.readouterr().out
    assert config.read_text(encoding="utf-8") == new


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL])
def test_hostile_import_is_refused_and_nothing_written(
    tmp_path: Path, config: Path, hostile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = write(tmp_path / "ond.opml", hostile)
    assert main(["feeds", "import", str(opml), "-c", str(config)]) == 1
    assert "refused" in capsys.readouterr().err
    assert config.read_text(encoding="utf-8") == CONFIG
    assert main(["feeds", "import", str(tmp_path / "mangler.opml"), "-c", str(config)]) == 1


def test_block_and_flow_feed_lists_without_entries() -> None:
    base = "topics:\n  - id: A\n    name: {da: a, en: a}\n    keywords: [a]\n"
    entries = [("Zetland: morgen", "https://www.zetland.dk/feed")]
    for tail in ("feeds: []\n", "feeds:\n", "", "feeds: [{name: DR, url: 'https://dr.dk/r'}]"):
        text = add_feeds_to_config_text(base + tail, entries)
        assert text.startswith(base)
        assert parse_config(text).feeds[-1].name == "Zetland: morgen"


def test_list_shows_poll_state_and_export_writes_opml(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["feeds", "list", "-c", str(config)]) == 0
    out = capsys.readouterr().out
    assert "DR Indland" in out and "10m" in out and "no database" in out

    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    with Store.open(tmp_path / "data" / "t.sqlite3") as store:
        store.save_source_state("DR Indland", SourceState(last_success=now))
        store.save_source_state(
            "Politiken", SourceState(failures=2, last_error="HTTP 500", last_error_at=now)
        )
    assert main(["feeds", "list", "-c", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["name", "url", "interval"]
    assert "2026-11-27 09:00:00 CET" in lines[1] and lines[1].rstrip().endswith("-")
    assert lines[2].rstrip().endswith("2026-11-27 09:00:00 CET HTTP 500")

    assert main(["feeds", "-c", str(config)]) == 2
    exported = tmp_path / "ud.opml"
    assert main(["feeds", "export", "-o", str(exported), "-c", str(config)]) == 0
    assert [f.name for f in parse_opml(exported.read_bytes()).feeds] == ["DR Indland", "Politiken"]


def test_export_to_stdout(config: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["feeds", "export", "-c", str(config)]) == 0
    assert len(parse_opml(capsysbinary.readouterr().out).feeds) == 2


SLIPS = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Eksport fra en anden læser</title></head>
  <body>
    <outline text="Nyheder" title="Nyheder">
      <outline text="Lokalt & regionalt" xmlUrl="https://lokal.example/rss?a=1&b=2"/>
      <outline text="Vejr&nbsp;i dag" xmlUrl="https://vejr.example/rss"/>
      <outline text="Sport <live>" xmlUrl="https://sport.example/rss"/>
      <outline text="Kultur" xmlUrl="https://kultur.example/rss"/>
      <outline text="Kultur igen" xmlUrl="https://kultur.example/rss/"/>
    </outline>
  </body>
</opml>
"""


def test_well_formedness_slips_are_recovered_line_by_line() -> None:
    doc = parse_opml(SLIPS.encode())
    assert [(f.name, f.url, f.category) for f in doc.feeds] == [
        ("Lokalt & regionalt", "https://lokal.example/rss?a=1&b=2", "Nyheder"),
        ("Vejr i dag", "https://vejr.example/rss", "Nyheder"),
        ("Kultur", "https://kultur.example/rss", "Nyheder"),
        ("Kultur igen", "https://kultur.example/rss/", "Nyheder"),
    ]
    assert doc.warnings == [
        "line 6: a raw '&' read as '&amp;' (2×)",
        "line 7: HTML entity '&nbsp;' read as its character",
    ]
    (skipped,) = doc.skipped
    assert skipped.startswith("'Sport <live>': line 8 is not well-formed XML")


def test_duplicate_in_the_same_file_is_named_as_such_and_counts_add_up() -> None:
    existing = [FeedConfig(name="Vejret", url="https://vejr.example/rss")]
    plan = plan_import(parse_opml(SLIPS.encode()), existing)
    assert [n for n, _ in plan.added] == ["Lokalt & regionalt", "Kultur"]
    assert plan.skipped[1:] == [
        "'Vejr i dag': already configured as 'Vejret'",
        "'Kultur igen': same feed as 'Kultur' earlier in the file",
    ]
    assert len(plan.added) + len(plan.skipped) == SLIPS.count("xmlUrl=")


def test_import_cli_reports_repairs_and_a_summary_that_adds_up(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = write(tmp_path / "slips.opml", SLIPS)
    assert main(["feeds", "import", str(opml), "--dry-run", "-c", str(config)]) == 0
    out, err = capsys.readouterr()
    assert "would add 3 of 5 feeds" in out and "(2 skipped)" in out
    assert "  = skipped 'Sport <live>': line 8 is not well-formed XML" in out
    assert f"topicbot: {opml}: warning: line 6: a raw '&' read as '&amp;' (2×)" in err


def test_missing_end_tags_and_control_characters_are_recovered() -> None:
    data = (
        b'<?xml version="1.0"?>\n<opml version="2.0"><body>\n'
        b'<outline text="Aviser">\n'
        b'<outline text="Uden skr\xc3\xa5streg" xmlUrl="https://a.example/rss">\n'
        b'<outline text="Med\x0b tabulator" xmlUrl="https://b.example/rss"/>\n'
        b"</body></opml>\n"
    )
    doc = parse_opml(data)
    assert [(f.name, f.url, f.category) for f in doc.feeds] == [
        ("Uden skråstreg", "https://a.example/rss", "Aviser"),
        ("Med tabulator", "https://b.example/rss", "Aviser"),
    ]
    assert doc.warnings == [
        "line 5: a control character not allowed in XML removed",
        "line 4: <outline> was never closed; read as empty",
        "line 3: <outline> was never closed; closed it at line 6",
    ]
    assert doc.skipped == []
