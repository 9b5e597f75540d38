"""A newcomer's first hour, walked as a user would: the README's commands, `--help` of every
command, and what each command leaves behind (issue 12).

In-process calls of `bot.cli.main` wherever possible; a subprocess only where a fresh
interpreter is the point (which modules a command imports).
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]

CONFIG = """\
topics:
  - id: NATO
    name: {{da: NATO, en: NATO}}
    keywords: [nato, forsvarsalliancen, stoltenberg]
  - id: COVID-19
    name: {{da: Covid-19, en: COVID-19}}
    keywords: ["covid*", "corona*", "mundbind*"]
  - id: Afghanistan
    name: {{da: Afghanistan, en: Afghanistan}}
    keywords: ["afghanistan*", "taliban*", kabul]
folders:
  - name: inbox
    path: inbox
    interval: 5m
storage:
  path: data/topicbot.sqlite3
classifier:
  mode: hybrid
  model_path: data/model.skops{extra}
"""

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
    config.write_text(CONFIG.format(extra=extra), encoding="utf-8")
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
    [article] = source.scan(SourceState(source.name)).articles
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
