"""A newcomer's first hour, walked as a user would: the README's commands, `--help` of every
command, and what each command leaves behind (issue 12).

In-process calls of `bot.cli.main` wherever possible; a subprocess only where a fresh
interpreter is the point (which modules a command imports).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.cli import main
from tests.configs import topic_item

ROOT = Path(__file__).resolve().parents[1]

#: Hybrid mode (not `keyword_config`), the topics as the README's example writes them.
CONFIG = (
    "topics:\n"
    + topic_item("NATO", "nato, forsvarsalliancen, stoltenberg")
    + topic_item("COVID-19", '"covid*", "corona*", "mundbind*"', da="Covid-19")
    + topic_item("Afghanistan", '"afghanistan*", "taliban*", kabul')
    + """\
folders:
  - name: inbox
    path: inbox
    interval: 5m
storage:
  path: data/topicbot.sqlite3
classifier:
  mode: hybrid
  model_path: data/model.skops"""
)

CORPUS = [
    "Nato-landene mødes i Bruxelles. Forsvarsministrene drøfter østflanken og alliancen.",
    "Stoltenberg advarer Rusland. Alliancen sender flere soldater til Baltikum.",
    "Smitten med corona stiger igen. Sundhedsstyrelsen anbefaler mundbind i bussen.",
    "Covid-19: flere indlagte. Hospitalerne udskyder operationer.",
    "Taliban indtager Kabul. Tusinder forsøger at flygte fra lufthavnen.",
    "Afghanistan: tolke venter stadig. Regeringen lover at hente dem hjem.",
    "Brøndby vinder derbyet. Fodboldfans fejrer sejren i Parken.",
    "Elprisen stiger igen. Vindmøller står stille i den svage vind.",
]


def write_config(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG + extra + "\n", encoding="utf-8")
    (tmp_path / "inbox").mkdir(exist_ok=True)
    return config


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its hash: what a command left behind."""
    return {str(p.relative_to(folder)): digest(p) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def trained(tmp_path: Path) -> Path:
    """A config whose classifier.model_path holds a model made by `topicbot train`."""
    config = write_config(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, text in enumerate(CORPUS):
        (corpus / f"{i}.txt").write_text(text, encoding="utf-8")
    assert main(["train", "-c", str(config), "--corpus", str(corpus), "--no-progress"]) == 0
    assert (tmp_path / "data" / "model.skops").exists()
    return config


# --- 1. read-only commands write nothing; a stale model is never overwritten ---------------


def test_classify_and_eval_leave_a_stale_trained_model_and_everything_else_alone(
    trained: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp = trained.parent
    model = tmp / "data" / "model.skops"
    # One more keyword: the trained model no longer matches the config.
    trained.write_text(
        trained.read_text(encoding="utf-8").replace("stoltenberg]", "stoltenberg, rutte]"),
        encoding="utf-8",
    )
    labels = tmp / "labels.jsonl"
    labels.write_text(
        json.dumps({"title": "Taliban indtager Kabul", "labels": ["Afghanistan"]}) + "\n",
        encoding="utf-8",
    )
    before = tree(tmp)
    monkeypatch.setattr("sys.stdin", io.StringIO("Nato-topmøde i Vilnius."))
    assert main(["classify", "-c", str(trained)]) == 0
    err = capsys.readouterr().err
    assert "not using the saved model" in err and "left as it is" in err
    assert main(["classify", "-c", str(trained), "--title", "Nato", "--model", str(model)]) == 4
    assert "retrain with `topicbot train`" in capsys.readouterr().err
    assert main(["eval", "-c", str(trained), "--labels", str(labels)]) == 0
    assert "model: default (seed examples)" in capsys.readouterr().out
    assert main(["eval", "-c", str(trained), "--labels", str(labels), "--model", str(model)]) == 4
    assert main(["check-config", "-c", str(trained)]) == 0
    assert main(["stats", "-c", str(trained)]) == 4  # no database yet: says so, creates none
    assert main(["feeds", "list", "-c", str(trained)]) == 0
    assert main(["feeds", "export", "-c", str(trained)]) == 0
    assert tree(tmp) == before


def test_eval_and_classify_default_to_the_same_model(
    trained: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = trained.parent / "data" / "model.skops"
    labels = trained.parent / "labels.jsonl"
    labels.write_text(
        json.dumps({"title": "Kabul falder", "labels": ["Afghanistan"]}) + "\n", encoding="utf-8"
    )
    assert main(["eval", "-c", str(trained), "--labels", str(labels)]) == 0
    assert f"model: {model}," in capsys.readouterr().out
    title = "Alliancen sender soldater til Baltikum"
    assert main(["classify", "-c", str(trained), "--json", "--title", title]) == 0
    default = json.loads(capsys.readouterr().out)["topics"]
    assert (
        main(["classify", "-c", str(trained), "--json", "--title", title, "--model", str(model)])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["topics"] == default


def test_train_replaces_the_model_atomically_keeping_the_previous_one(trained: Path) -> None:
    model = trained.parent / "data" / "model.skops"
    first = digest(model)
    corpus = trained.parent / "corpus"
    assert (
        main(["train", "-c", str(trained), "--corpus", str(corpus), "--no-seed", "--no-progress"])
        == 0
    )
    previous = trained.parent / "data" / "model.previous.skops"
    assert digest(previous) == first and digest(model) != first
    assert (trained.parent / "data" / "model.previous.skops.json").exists()


def test_once_uses_the_seed_model_file_and_never_the_trained_models_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    assert main(["once", "-c", str(config)]) == 0
    assert (tmp_path / "data" / "model.seed.skops").exists()
    assert not (tmp_path / "data" / "model.skops").exists()


# --- 2. one reader for the text-file format ------------------------------------------------

ONE_PARAGRAPH = (
    " date 2020-04 Brøndby vandt derbyet i aftes. Fansene fejrede sejren, og træneren roste "
    "forsvaret og alliancen mellem de to midterforsvarere. Næste kamp er mod FCK.\n"
)


def test_classify_file_stdin_and_the_folder_source_read_a_text_file_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.config import load_config
    from bot.sources.base import SourceState
    from bot.sources.folder import FolderSource
    from classifiers.base import Document
    from classifiers.factory import build_classifier

    config = write_config(tmp_path)
    file = tmp_path / "inbox" / "fodbold.txt"
    file.write_text(ONE_PARAGRAPH, encoding="utf-8")
    assert main(["classify", "-c", str(config), "--json", str(file)]) == 0
    from_file = json.loads(capsys.readouterr().out)
    monkeypatch.setattr("sys.stdin", io.StringIO(ONE_PARAGRAPH))
    assert main(["classify", "-c", str(config), "--json"]) == 0
    from_stdin = json.loads(capsys.readouterr().out)
    assert from_file["title"] == from_stdin["title"] == "Brøndby vandt derbyet i aftes."
    assert from_file["topics"] == from_stdin["topics"]

    cfg = load_config(config)
    source = FolderSource(cfg.folders[0], cfg.resolve(cfg.folders[0].path), settle_seconds=0)
    [article] = source.scan(SourceState()).articles
    assert article.title == from_file["title"]
    clf = build_classifier(cfg.topic_rules(), model_path=cfg.model_path, save_default=False)
    [row] = clf.classify_many([Document(article.title, article.text)])
    assert {s.topic: round(s.score, 4) for s in row} == {
        t: v["score"] for t, v in from_file["topics"].items()
    }


# --- 3. charts on every install --------------------------------------------------------------


def test_matplotlib_is_a_regular_dependency_imported_only_to_draw() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = " ".join(project["dependencies"])
    assert "matplotlib" in deps
    assert not any(
        "matplotlib" in d for ds in project["optional-dependencies"].values() for d in ds
    )
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir ." in dockerfile  # the image gets the dependencies
    code = (
        "import sys, bot.cli, bot.stats, classifiers.evaluation\n"
        "bot.cli.build_parser()\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported at start'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


def test_eval_plot_draws_a_chart_after_printing_the_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    labels = tmp_path / "labels.jsonl"
    rows = [
        {"title": "Taliban indtager Kabul", "labels": ["Afghanistan"]},
        {"title": "Nato-topmøde i Vilnius", "labels": ["NATO"]},
        {"title": "Flere smittede med corona", "labels": ["COVID-19"]},
        {"title": "Brøndby vinder derbyet", "labels": []},
    ]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    png = tmp_path / "pr.png"
    assert main(["eval", "-c", str(config), "--labels", str(labels), "--plot", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    out = capsys.readouterr().out
    assert "macro-F1" in out and f"written to {png}" in out
    bad = tmp_path / "missing" / "pr.png"
    assert main(["eval", "-c", str(config), "--labels", str(labels), "--plot", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "macro-F1" in captured.out and "cannot write" in captured.err


def test_eval_table_header_sits_over_its_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"title": "Kabul", "labels": ["Afghanistan"]}) + "\n")
    assert main(["eval", "-c", str(config), "--labels", str(labels)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if "precision" in line)
    row = lines[lines.index(header) + 1]
    for name in ("precision", "recall", "f1"):
        end = header.index(name) + len(name)
        assert row[end - 1].isdigit() and (end == len(row) or row[end] == " "), (header, row)


# --- the README's two set-up commands --------------------------------------------------------


def readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b.split("\n", 1)[1].strip() for b in text.split("```")[1::2] if b.startswith("sh\n")]


def test_readme_set_up_commands_have_the_shape_a_newcomer_runs() -> None:
    first, second = readme_blocks()[:2]
    assert first == (
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && topicbot once"
    )
    assert second == (
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' "
        "&& python -m pytest -q"
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["topicbot"] == "bot.cli:main"
    assert "test" in project["optional-dependencies"]


def test_once_on_the_shipped_config_alerts_on_the_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`topicbot once` with the shipped config.yaml, its feeds left out (no internet here)."""
    shipped = (ROOT / "config.yaml").read_text(encoding="utf-8")
    head, rest = shipped.split("\nfeeds:\n", 1)
    rest = rest[rest.index("\n# --- Text folders") :]
    text = head + "\nfeeds: []\n" + rest.replace("path: examples", f"path: {ROOT / 'examples'}")
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    assert main(["once", "--config", str(tmp_path / "config.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.count("━━") >= 2 * 3, out  # at least three alerts, each framed by ━━
    assert (tmp_path / "data" / "model.seed.skops").exists()


# --- --help everywhere, global options in either position -----------------------------------

COMMANDS = ["check-config", "classify", "eval", "feeds", "once", "run", "stats", "train"]
HELPS = [[c] for c in COMMANDS] + [["feeds", a] for a in ("list", "export", "import")]


@pytest.mark.parametrize("words", HELPS, ids=[" ".join(w) for w in HELPS])
def test_every_command_and_action_has_a_description_and_its_exit_codes(
    words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main([*words, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    usage, _, body = out.partition("\n\n")
    assert usage.startswith("usage: topicbot " + " ".join(words))
    assert not body.startswith(("positional arguments", "options")), out  # a description
    assert "Exit codes: 0" in out
    assert "--config" in out and "--log-level" in out


def test_global_options_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(write_config(tmp_path))
    for argv in (
        ["--config", config, "check-config"],
        ["check-config", "--config", config],
        ["--log-level", "warning", "-c", config, "check-config"],
        ["--config", config, "feeds", "list"],
        ["feeds", "list", "--config", config],
        ["feeds", "--config", config, "export"],
    ):
        assert main(argv) == 0, argv
    assert "configuration is valid" in capsys.readouterr().out
    missing = str(tmp_path / "nope.yaml")
    assert main(["--config", missing, "check-config"]) == 3
    assert main(["--config", config, "check-config", "--config", missing]) == 3  # last wins


# --- error texts -----------------------------------------------------------------------------


def test_train_requires_a_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path)
    with pytest.raises(SystemExit) as info:
        main(["train", "-c", str(config)])
    assert info.value.code == 2
    assert "--corpus" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["train", "-c", str(config), "--corpus", str(empty), "--no-progress"]) == 2
    assert "nothing to learn from" in capsys.readouterr().err
    assert not (tmp_path / "data" / "model.skops").exists()


def config_errors(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> str:
    config = tmp_path / "bad.yaml"
    config.write_text(text, encoding="utf-8")
    assert main(["check-config", "-c", str(config)]) == 3
    err = capsys.readouterr().err
    assert "topicbot check-config" in err  # what to do
    return err


TOPIC = "topics:\n  - id: NATO\n    name: {da: NATO, en: NATO}\n    keywords: [nato]\n"


def test_a_bare_number_interval_is_refused_with_the_units_to_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TOPIC + "feeds:\n  - name: DR\n    url: https://www.dr.dk/rss\n    interval: 10\n"
    err = config_errors(tmp_path, text, capsys)
    assert "feeds[0].interval: 10 has no unit: write 10s for seconds or 10m for minutes" in err
    assert "(line 8)" in err


def test_config_errors_say_what_where_and_what_to_do_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TOPIC.replace("[nato]", "nato") + "telegram:\n  admins: [me]\n  enabled: ja\n"
    err = config_errors(tmp_path, text, capsys)
    assert "topics[0].keywords: must be a list: one `- item` per line, or [a, b] (line 4)" in err
    assert "telegram.admins[0]: must be a whole number (line 6)" in err
    assert "telegram.enabled: unknown setting (line 7)" in err
    broken = TOPIC + "feeds:\n  - name: DR\n   url: https://www.dr.dk/rss\n  ? x\n"
    err = config_errors(tmp_path, broken, capsys)
    assert "not valid YAML at line 7" in err and "indentation" in err
    for raw in ("Input should", "expected <block end>", "Field required", "<block"):
        assert raw not in err


def test_counts_are_worded_in_the_singular_for_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        TOPIC + "folders:\n  - path: inbox\nclassifier:\n  mode: keywords\n", encoding="utf-8"
    )
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.txt").write_text("Nato holder topmøde.", encoding="utf-8")
    os.utime(tmp_path / "inbox" / "a.txt", (1e9, 1e9))  # settled: not being written any more
    assert main(["check-config", "-c", str(config)]) == 0
    assert "1 topic, 0 feeds, 1 folder" in capsys.readouterr().out
    caplog.set_level("INFO")
    assert main(["once", "-c", str(config)]) == 0
    assert "1 source polled" in caplog.text and "1 new article," in caplog.text
    assert "topics NATO, 1 alert" in caplog.text and "1 alerts" not in caplog.text


def test_opml_import_keeps_every_earlier_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(TOPIC + "feeds: []\n", encoding="utf-8")
    for n in (1, 2):
        opml = tmp_path / f"{n}.opml"
        opml.write_text(
            '<?xml version="1.0"?><opml version="2.0"><head/><body>'
            f'<outline text="Feed {n}" type="rss" xmlUrl="https://example.dk/{n}.xml"/>'
            "</body></opml>",
            encoding="utf-8",
        )
        assert main(["feeds", "import", str(opml), "-c", str(config)]) == 0
    backups = sorted(tmp_path.glob("config.yaml.*.bak"))
    assert len(backups) == 2
    kept = sorted(b.read_text(encoding="utf-8").count("https://example.dk/") for b in backups)
    assert kept == [0, 1]  # the config before each import
    assert "the previous file is kept as" in capsys.readouterr().out


def test_stats_speaks_english_to_the_operator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    from bot.config import load_config
    from bot.store import Store

    with Store.open(load_config(config).db_path):
        pass
    png = tmp_path / "chart.png"
    assert main(["stats", "-c", str(config), "--days", "3", "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert out.split()[0] == "topic" and "3 days" in out and "chart written" in out
    assert png.read_bytes().startswith(b"\x89PNG")


# --- one console-mode run per database -------------------------------------------------------


def test_a_second_console_run_on_the_same_database_exits_5(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.config import load_config
    from bot.instance_lock import InstanceLock

    monkeypatch.delenv("TOPICBOT_TELEGRAM_TOKEN", raising=False)
    config = write_config(tmp_path)
    first = InstanceLock(load_config(config).db_path)  # what the running `topicbot run` holds
    assert first.acquire()
    try:
        assert main(["run", "-c", str(config)]) == 5
    finally:
        first.release()
    err = capsys.readouterr().err
    assert "another topicbot is already running" in err and "topicbot.sqlite3" in err


# --- times -----------------------------------------------------------------------------------


def test_logs_and_feeds_list_show_one_zone_and_name_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging
    from datetime import UTC, datetime

    from bot.config import load_config
    from bot.logging_setup import LocalTimeFormatter
    from bot.store import Store

    config = tmp_path / "config.yaml"
    config.write_text(
        TOPIC + "feeds:\n  - name: DR\n    url: https://www.dr.dk/rss\n", encoding="utf-8"
    )
    polled = datetime(2026, 7, 1, 14, 59, 30, tzinfo=UTC)
    with Store.open(load_config(config).db_path) as store:
        store.save_source_state("DR", store.source_state("DR").succeeded(polled, 3))
    assert main(["feeds", "list", "-c", str(config)]) == 0
    assert "2026-07-01 16:59:30 CEST" in capsys.readouterr().out
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "polled", None, None)
    record.created = polled.timestamp()
    assert LocalTimeFormatter("%(asctime)s").format(record) == "2026-07-01 16:59:30 CEST"


def test_a_month_only_date_tag_is_shown_as_the_month() -> None:
    from bot.localtime import format_published
    from classifiers.textfile import parse_text_document

    month = parse_text_document(b" date 2020-04 Nato holder topm\xc3\xb8de.").published
    day = parse_text_document(b" date 2022-02-24 Krig i Ukraine.").published
    assert month is not None and day is not None
    assert format_published(month) == "april 2020"
    assert format_published(month, "en") == "April 2020"
    assert format_published(day) == "24.02.2022"


# --- Docker and packaging --------------------------------------------------------------------


def test_the_images_config_keeps_data_on_the_volume_and_polls_no_examples(tmp_path: Path) -> None:
    from bot.config import load_config

    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    assert "COPY examples" not in dockerfile
    [run] = [line for line in dockerfile.splitlines() if line.startswith("RUN sed -i")]
    sed = run.removeprefix("RUN ").split("&&")[0].strip()
    assert sed.endswith(" config.yaml")
    config = tmp_path / "config.yaml"
    config.write_bytes((ROOT / "config.yaml").read_bytes())
    subprocess.run(["bash", "-c", sed], cwd=tmp_path, check=True, timeout=30)
    cfg = load_config(config)
    assert cfg.folders == []
    assert cfg.db_path == Path("/data/topicbot.sqlite3")
    assert cfg.model_path == Path("/data/model.skops")
    assert cfg.ops.enabled
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ':/app/config.yaml:ro"' in readme  # how to give the container your own config


def test_every_packaged_data_pattern_matches_a_file() -> None:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    for package, patterns in tool["setuptools"]["package-data"].items():
        for pattern in patterns:
            assert list((ROOT / package).glob(pattern)), f"{package}/{pattern} matches nothing"
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # lxml's own spelling of the extra: jusText's `lxml[html_clean]` alone warns at install.
    assert "lxml[html-clean]>=5.2" in deps["dependencies"]


def test_stats_and_feeds_list_never_migrate_or_write_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from bot.config import load_config
    from bot.store import Store
    from bot.store.db import MIGRATIONS

    config = write_config(tmp_path)
    db = load_config(config).db_path
    with Store.open(db):
        pass
    assert main(["stats", "-c", str(config)]) == 0
    assert main(["feeds", "list", "-c", str(config)]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(db)  # as left by an older topicbot: one migration behind
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    conn.commit()
    conn.close()
    before = digest(db)
    assert main(["stats", "-c", str(config)]) == 4
    assert main(["feeds", "list", "-c", str(config)]) == 4
    err = capsys.readouterr().err
    assert f"older than this topicbot ({len(MIGRATIONS)})" in err and "never change it" in err
    assert digest(db) == before


def test_training_progress_is_one_line_per_step_off_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from classifiers.base import Document, TopicRule
    from classifiers.training import train_model

    rules = [TopicRule("NATO", ("nato",)), TopicRule("Afghanistan", ("kabul",))]
    train_model(rules, (), progress=True)  # the default model at first start: no corpus
    assert "weak labels" not in capsys.readouterr().err
    train_model(rules, [Document("Nato mødes"), Document("Kabul falder")], progress=True)
    err = capsys.readouterr().err
    assert err.count("weak labels") == 1 and "\r" not in err
