"""`topicbot train`, `eval` and `classify` end to end on tiny data written here."""

from __future__ import annotations

import json
from pathlib import Path

from bot.cli import main

CONFIG = """\
topics:
  - id: NATO
    name: {da: NATO, en: NATO}
    keywords: [nato, stoltenberg]
  - id: COVID-19
    name: {da: Covid-19, en: COVID-19}
    keywords: ["covid*", "corona*", "mundbind*"]
    exclude: [corona-øl]
"""


def _setup(tmp_path: Path) -> Path:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(CONFIG, encoding="utf-8")
    (tmp_path / "corpus.csv").write_text(
        "title,text\n"
        "Nato-topmøde i Vilnius,De allierede mødes om forsvaret.\n"
        "Coronasmitten stiger,Flere indlægges med covid-19.\n"
        "FCK vinder,\n",
        encoding="utf-8",
    )
    labels = [
        {"title": "Stoltenberg besøger Kyiv", "text": "", "labels": ["NATO"]},
        {"title": "Mundbind i bussen", "text": "Smitten stiger.", "labels": ["COVID-19"]},
        {"title": "Ny Corona-øl", "text": "", "labels": []},
    ]
    (tmp_path / "dev.jsonl").write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in labels), encoding="utf-8"
    )
    return cfg


def test_train_eval_classify(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    cfg = _setup(tmp_path)
    out = tmp_path / "model.skops"
    rc = main(
        [
            "train",
            "--config",
            str(cfg),
            "--corpus",
            str(tmp_path / "corpus.csv"),
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    assert rc == 0 and out.exists()
    assert str(out) in capsys.readouterr().out

    rc = main(
        [
            "eval",
            "--config",
            str(cfg),
            "--labels",
            str(tmp_path / "dev.jsonl"),
            "--model",
            str(out),
            "--json",
        ]
    )
    assert rc == 0
    res = json.loads(capsys.readouterr().out)
    assert set(res["model"]["topics"]) == {"NATO", "COVID-19"}
    assert {"precision", "recall", "f1"} <= set(res["keywords"]["topics"]["NATO"])
    assert 0 <= res["model"]["macro_f1"] <= 1

    rc = main(
        [
            "classify",
            "--config",
            str(cfg),
            "--model",
            str(out),
            "--title",
            "Stoltenberg: De allierede i Nato skal styrke forsvaret",
        ]
    )
    assert rc == 0
    out_text = capsys.readouterr().out
    assert "MATCH NATO" in out_text and "[language: da]" in out_text


def test_eval_rejects_model_for_other_topics(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    cfg = _setup(tmp_path)
    out = tmp_path / "model.skops"
    main(
        [
            "train",
            "--config",
            str(cfg),
            "--corpus",
            str(tmp_path / "corpus.csv"),
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    cfg.write_text(CONFIG.replace("stoltenberg", "alliancen"), encoding="utf-8")
    rc = main(
        ["eval", "--config", str(cfg), "--labels", str(tmp_path / "dev.jsonl"), "--model", str(out)]
    )
    assert rc == 4
    assert "retrain" in capsys.readouterr().err


def test_eval_reports_the_items_the_labeller_was_sure_of(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """An item marked unsure is scored with the rest, and again apart: a label a careful
    person could not decide says little about the classifier."""
    cfg = _setup(tmp_path)
    labels = tmp_path / "dev.jsonl"
    undecided = {"title": "FCK vinder pokalfinalen", "text": "", "labels": ["NATO"], "unsure": True}
    labels.write_text(
        labels.read_text(encoding="utf-8") + "\n" + json.dumps(undecided, ensure_ascii=False),
        encoding="utf-8",
    )
    assert main(["eval", "--config", str(cfg), "--labels", str(labels), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    sure = res["sure_only"]
    assert (res["n"], sure["n"]) == (4, 3)
    assert sure["model_errors_unsure"] == 1 <= sure["model_errors"]
    # The undecided item is a NATO miss in the whole set, not among the sure items.
    assert res["model"]["topics"]["NATO"]["support"] == 2
    assert sure["model"]["topics"]["NATO"]["support"] == 1
    assert main(["eval", "--config", str(cfg), "--labels", str(labels)]) == 0
    assert "labeller sure (3 items)" in capsys.readouterr().out
