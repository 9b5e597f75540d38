"""Articles per topic per day from a real store; the chart is a real PNG; the command's codes."""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.article import Article
from bot.cli import main
from bot.stats import PlotUnavailable, format_table, render_chart, topic_counts_per_day
from bot.store import Store
from classifiers.base import TopicScore

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # Friday 27.11, 11:00 in Copenhagen


def add(store: Store, i: int, topics: list[str], *, fetched: datetime, published=None) -> None:
    store.record_articles(
        [
            Article(
                id=f"a{i}", source="DR", title=f"Nyhed {i}", fetched_at=fetched, published=published
            )
        ]
    )
    scores = [TopicScore(t, 0.9, True) for t in topics] + [TopicScore("Afghanistan", 0.2, False)]
    store.complete_article(f"a{i}", scores, {})


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store.open(store_url)
    add(s, 1, ["NATO"], fetched=NOW)
    add(s, 2, ["NATO", "COVID-19"], fetched=NOW - timedelta(days=1))
    add(s, 3, ["NATO"], fetched=NOW - timedelta(days=1, hours=1))
    # Published 23:30 UTC on the 24th = 00:30 on the 25th in Copenhagen; fetched much later.
    add(s, 4, ["COVID-19"], fetched=NOW, published=datetime(2026, 11, 24, 23, 30, tzinfo=UTC))
    add(s, 5, ["NATO"], fetched=NOW - timedelta(days=40))  # outside the window
    add(s, 6, [], fetched=NOW)  # matched nothing
    yield s
    s.close()


def test_counts_per_copenhagen_day_zero_filled(store: Store) -> None:
    counts = topic_counts_per_day(
        store, days=30, now=NOW, topics=["NATO", "COVID-19", "Afghanistan"]
    )
    assert list(counts) == ["NATO", "COVID-19", "Afghanistan"]
    for series in counts.values():
        assert len(series) == 30
        assert series[0][0] == date(2026, 10, 29) and series[-1][0] == date(2026, 11, 27)
    nato = dict(counts["NATO"])
    assert nato[date(2026, 11, 27)] == 1 and nato[date(2026, 11, 26)] == 2
    assert sum(nato.values()) == 3
    covid = dict(counts["COVID-19"])
    assert covid[date(2026, 11, 25)] == 1 and covid[date(2026, 11, 26)] == 1
    assert sum(covid.values()) == 2
    assert sum(n for _, n in counts["Afghanistan"]) == 0


def test_topics_only_in_the_store_are_included(store: Store) -> None:
    counts = topic_counts_per_day(store, days=3, now=NOW)
    assert set(counts) == {"NATO", "COVID-19"}
    assert [n for _, n in counts["NATO"]] == [0, 2, 1]


def test_png_has_the_signature_and_a_sane_size(store: Store) -> None:
    counts = topic_counts_per_day(store, now=NOW, topics=["NATO", "COVID-19"])
    png = render_chart(counts, {"NATO": "NATO", "COVID-19": "Covid-19"}, "Seneste 30 dage")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1000, 500)
    assert 5_000 < len(png) < 500_000
    empty = render_chart({}, {}, "Ingen")
    assert empty.startswith(b"\x89PNG")


def test_missing_matplotlib_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(PlotUnavailable, match="reinstall topicbot"):
        render_chart({}, {}, "x")


def test_table_shows_the_last_days_and_the_total(store: Store) -> None:
    counts = topic_counts_per_day(store, days=30, now=NOW, topics=["NATO", "COVID-19"])
    table = format_table(counts, {"NATO": "NATO", "COVID-19": "Covid-19"})
    lines = table.splitlines()
    assert lines[0].split() == ["topic", *[f"{d}.11" for d in range(21, 28)], "30", "days"]
    assert lines[1].split() == ["NATO", "0", "0", "0", "0", "0", "2", "1", "3"]
    assert lines[2].split() == ["Covid-19", "0", "0", "0", "0", "1", "1", "0", "2"]


CONFIG = """\
topics:
  - id: NATO
    name: {{da: NATO, en: NATO}}
    keywords: [nato]
storage:
  path: {db}
"""


def test_command_exit_codes_and_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "data" / "t.sqlite3"
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG.format(db=db))
    assert main(["stats", "-c", str(config)]) == 4
    assert "no database" in capsys.readouterr().err
    assert not db.exists()  # a read-only command does not create one

    with Store.open(db) as s:
        add(s, 1, ["NATO"], fetched=datetime.now(UTC))
    assert main(["stats", "-c", str(config), "--days", "10"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].split()[-1] == "1" and "10 days" in out

    png = tmp_path / "chart.png"
    assert main(["stats", "-c", str(config), "--plot", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    assert main(["stats", "-c", str(config), "--plot", str(tmp_path / "no" / "x.png")]) == 1
    assert "cannot write" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["stats", "-c", str(config), "--days", "0"])
    assert exc.value.code == 2
    assert main(["stats", "-c", str(tmp_path / "missing.yaml")]) == 3
