"""The `topicbot` command as a user meets it: help everywhere, meaningful exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, main

TOPICS = """\
topics:
  - id: NATO
    name: {da: NATO, en: NATO}
    keywords: [nato]
  - id: Afghanistan
    name: {da: Afghanistan, en: Afghanistan}
    keywords: ["taliban*", kabul]
classifier:
  mode: keywords
"""

COMMANDS = ["check-config", "classify", "eval", "feeds", "once", "run", "stats", "store", "train"]


def test_every_command_is_listed_and_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    choices = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert sorted(choices) == COMMANDS
    for name in COMMANDS:
        with pytest.raises(SystemExit) as info:
            main([name, "--help"])
        assert info.value.code == 0
        assert "usage: topicbot " + name in capsys.readouterr().out


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_classify_reads_stdin_with_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(TOPICS)
    monkeypatch.setattr("sys.stdin", io.StringIO(" date 2021-08 Taliban rykker ind i Kabul\n"))
    assert main(["classify", "--config", str(config), "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("stdin: Taliban rykker ind i Kabul")
    assert "MATCH Afghanistan" in out and "MATCH NATO" not in out


def test_classify_dates_an_article_for_keywords_valid_until_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A text file's date tag dates the article; --title text is today's news."""
    config = tmp_path / "config.yaml"
    config.write_text(
        TOPICS.replace(
            "keywords: [nato]",
            "keywords: [nato, stoltenberg]\n    until: {stoltenberg: 2024-09-30}",
        )
    )
    for tag, nato in (("2023-07", True), ("2025-10", False)):
        monkeypatch.setattr(
            "sys.stdin", io.StringIO(f" date {tag} Stoltenberg holder tale i Oslo\n")
        )
        assert main(["classify", "--config", str(config), "-"]) == 0
        assert ("MATCH NATO" in capsys.readouterr().out) is nato, tag
    assert main(["classify", "--config", str(config), "--title", "Stoltenberg holder tale"]) == 0
    assert "MATCH NATO" not in capsys.readouterr().out


def test_a_reader_that_went_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """`topicbot check-config | head -1`: the pipe's reader is gone before the command
    writes (its end is closed before the process starts, so the write always fails)."""
    config = tmp_path / "config.yaml"
    config.write_text(TOPICS)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "check-config", "--config", str(config)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
