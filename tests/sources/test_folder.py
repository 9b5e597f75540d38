from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import pytest

from bot.config import FolderConfig
from bot.sources.base import SourceState
from bot.sources.folder import FolderSource


def source(path: Path) -> FolderSource:
    return FolderSource(FolderConfig(path=path, name="drop"), path=path, settle_seconds=0)


def scan(src: FolderSource) -> list[str]:
    return [a.title for a in asyncio.run(src.poll(SourceState())).articles]


def test_each_file_once_and_a_changed_file_is_a_new_version(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(" date 2023-01 Første artikel. Brødtekst.")
    (tmp_path / "b.txt").write_text("Anden artikel.")
    (tmp_path / "ignored.md").write_text("Ikke en tekstfil.")
    (tmp_path / ".hidden.txt").write_text("Skjult.")
    src = source(tmp_path)
    assert scan(src) == ["Første artikel.", "Anden artikel."]
    assert scan(src) == []
    first = asyncio.run(source(tmp_path).poll(SourceState())).articles[0]
    (tmp_path / "a.txt").write_text(" date 2023-01 Første artikel, rettet. Brødtekst.")
    os.utime(tmp_path / "a.txt", (1, 1))
    changed = asyncio.run(src.poll(SourceState())).articles
    assert [a.title for a in changed] == ["Første artikel, rettet."]
    assert changed[0].id != first.id and changed[0].version != first.version


def test_bad_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("   ")
    (tmp_path / "ok.txt").write_text("Fin artikel.")
    outcome = asyncio.run(source(tmp_path).poll(SourceState()))
    assert [a.title for a in outcome.articles] == ["Fin artikel."]
    assert outcome.warnings == ["empty.txt: no text"]


def test_binary_files_are_skipped_with_a_warning_naming_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10" + bytes(range(256)) * 4
    (tmp_path / "billede.txt").write_bytes(png)
    # No NUL byte, not UTF-8, mostly control bytes: an old Windows binary, say.
    (tmp_path / "data.txt").write_bytes((b"MZ\x90\x03\x04\xff\xff\xb8@" + bytes(range(1, 32))) * 20)
    (tmp_path / "latin1.txt").write_bytes("Fin artikel om Ærø.".encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes("Også UTF-16 er tekst.".encode("utf-16"))
    caplog.set_level(logging.WARNING)
    outcome = asyncio.run(source(tmp_path).poll(SourceState()))
    assert sorted(a.title for a in outcome.articles) == [
        "Fin artikel om Ærø.",
        "Også UTF-16 er tekst.",
    ]
    assert outcome.warnings == [
        "billede.txt: not a text file: it holds NUL bytes (binary data?)",
        "data.txt: not a text file: not UTF-8 and mostly control bytes",
    ]
    logged = [r.getMessage() for r in caplog.records]
    assert any("'drop'" in m and "billede.txt" in m for m in logged)


def test_missing_folder_is_an_error_for_that_source_only(tmp_path: Path) -> None:
    outcome = asyncio.run(source(tmp_path / "nope").poll(SourceState()))
    assert outcome.error is not None and "does not exist" in outcome.error.reason
    assert outcome.state.failures == 1 and outcome.state.next_attempt is not None


def test_file_still_being_written_waits(tmp_path: Path) -> None:
    (tmp_path / "new.txt").write_text("Halvt skrevet")
    src = FolderSource(FolderConfig(path=tmp_path), path=tmp_path, settle_seconds=60)
    assert scan(src) == []
