"""Storage faults on the real store: the database locked by another process, read-only, and a
full disk. Each time: a clear error naming the database, no crash and no hot retry loop, and
once the fault is gone every article and every queued alert is there, delivered exactly once.

How each fault is made (honestly, as root in a container):

* locked: a second *process* holds ``BEGIN EXCLUSIVE`` on the file (WAL mode: readers go on,
  every write waits the busy timeout and fails with "database is locked");
* read-only: (1) a tmpfs remounted read-only, (2) the file made 0400 and topicbot run as the
  unprivileged user ``nobody`` (root ignores file modes), both at open; (3) mid-run, where no
  remount is possible with the file open for writing, ``PRAGMA query_only`` on the store's own
  connection, which fails writes with SQLite's "attempt to write a readonly database";
* disk full: the database on a 1 MiB tmpfs filled up with a filler file (skipped where mount is
  not permitted), and everywhere SQLite's ``PRAGMA max_page_count`` capping the file, which
  fails writes with the same "database or disk is full".
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot import exitcodes
from bot.delivery import DeliveryLoop
from bot.errors import StoreError
from bot.store import Store
from tests.reliability.conftest import (
    FOLDER,
    FOLDER_TEXT,
    HEALTHY,
    HEALTHY_ALERTS,
    HOSTILE,
    Harness,
    alert_titles,
    build_harness,
    drop,
    make_config,
    rss20,
    with_healthy,
)
from tests.standins.feed_server import FeedServer

SOURCES = {*HEALTHY, FOLDER}
#: Unrelated stories (one alert each, not story updates of the healthy feeds' Nato item).
R1 = "Forsvarsalliancen holder øvelse ved Bornholm"
R2 = "Stoltenberg besøger Grønland i næste uge"


# --- fault makers -----------------------------------------------------------------------------


@contextlib.contextmanager
def held_lock(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding an exclusive lock on ``db`` until the block ends."""
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
        "c.execute('ROLLBACK')\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


@contextlib.contextmanager
def tmpfs(path: Path, size: str = "1m") -> Iterator[Path]:
    """A small tmpfs at ``path``; skips the test where mounting is not permitted."""
    path.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount command: the tmpfs variant needs root with CAP_SYS_ADMIN")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); needs CAP_SYS_ADMIN")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def remount(path: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True, capture_output=True)


def fill(directory: Path) -> Path:
    """Write a filler file until the filesystem is full; returns it (delete to free space)."""
    filler = directory / "filler"
    block = b"\0" * 4096
    with open(filler, "wb", buffering=0) as f:
        while True:
            try:
                f.write(block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                break
    return filler


def big_feed(prefix: str, n: int = 400) -> bytes:
    """Many long items: recording them needs far more than the free space left."""
    items = [
        (f"urn:fj:{prefix}{i}", f"https://www.fjendtlig.dk/{prefix}/{i}", f"Nato-nyhed {prefix}{i}")
        for i in range(n)
    ]
    doc = rss20(items).decode()
    filler = "Forsvarsministrene mødtes i Bruxelles om Østersøen. " * 30
    return doc.replace("Læs mere på siden.", filler).encode()


def messages(caplog: pytest.LogCaptureFixture, needle: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if needle in r.getMessage()]


async def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


def setup_folder(tmp_path: Path) -> None:
    (tmp_path / FOLDER).mkdir(exist_ok=True)
    drop(tmp_path / FOLDER, "a.txt", FOLDER_TEXT)


# --- locked -----------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.timeout(60)
async def test_database_locked_by_another_process_then_released_loses_nothing(
    tmp_path: Path, healthy_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    setup_folder(tmp_path)
    h = build_harness(make_config(tmp_path, with_healthy(healthy_server, None)), timeout=0.3)
    db = h.config.db_path
    full_before = healthy_server.stats("/dr/indland.xml").full
    try:
        with held_lock(db):
            report = await h.cycle()
            assert set(report.failed) == SOURCES and report.polled == 0
            for name in SOURCES:
                (msg,) = messages(caplog, f"source {name!r}: cannot record articles")
                assert f"database {db}: database is locked" in msg
            assert h.take_alerts() == [] and h.store.article_count() == 0

        report = await h.cycle()  # the lock is gone: everything is fetched and recorded again
        assert report.failed == [] and report.polled == len(SOURCES)
        assert sorted(h.take_alerts()) == sorted(HEALTHY_ALERTS)
        assert h.store.outbox_counts() == {"sent": len(HEALTHY_ALERTS)}
        # The feed's ETag was never committed (it goes with its articles): a full fetch again.
        assert healthy_server.stats("/dr/indland.xml").full == full_before + 2
    finally:
        await h.aclose()


@pytest.mark.asyncio
@pytest.mark.timeout(60)
async def test_delivery_while_locked_backs_off_and_sends_each_alert_once(
    tmp_path: Path, healthy_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The sender's first alert goes out but cannot be marked sent; later drains must neither
    spin nor send it again, and after the lock every alert is delivered exactly once."""
    caplog.set_level(logging.INFO)
    setup_folder(tmp_path)
    h = build_harness(make_config(tmp_path, with_healthy(healthy_server, None)), timeout=0.2)
    db = h.config.db_path
    loop = DeliveryLoop(h.sender.drain, idle_seconds=0.05)
    try:
        await h.services.pipeline.poll_all()  # queued, not yet delivered
        assert h.store.pending_count() == len(HEALTHY_ALERTS)
        with held_lock(db):
            loop.start()
            await asyncio.sleep(1.5)
            paused = messages(caplog, "delivery paused")
            # Exponential backoff (0.1, 0.2, 0.4, 0.8 s …): a handful of tries, no hot loop.
            assert 1 <= len(paused) <= 6, paused
            assert all(f"database {db}: database is locked" in m for m in paused)
            assert loop._task is not None and not loop._task.done()
        loop.wake()
        await wait_for(lambda: h.store.pending_count() == 0)
        await loop.stop()
        printed = alert_titles(h.out.getvalue())
        assert sorted(printed) == sorted(HEALTHY_ALERTS), printed  # none lost, none twice
        assert h.store.outbox_counts() == {"sent": len(HEALTHY_ALERTS)}
    finally:
        await loop.stop()
        await h.aclose()


# --- read-only --------------------------------------------------------------------------------


def _cli_once(config: Path, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "bot", "once", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TOPICBOT_TELEGRAM_TOKEN": "", "TOPICBOT_LOG_LEVEL": "INFO"},
    )


def _folder_only_config(directory: Path, db: Path) -> Path:
    folder = directory / FOLDER
    folder.mkdir(exist_ok=True)
    drop(folder, "a.txt", FOLDER_TEXT)
    config = directory / "config.yaml"
    config.write_text(
        "topics:\n  - id: NATO\n    name: {da: NATO, en: NATO}\n    keywords: [nato, stoltenberg]\n"
        f"folders:\n  - name: {FOLDER}\n    path: {folder}\n"
        f"storage:\n  path: {db}\nclassifier:\n  mode: keywords\n"
        "alerts:\n  alert_on_first_poll: true\n"
    )
    return config


def test_read_only_filesystem_at_open_is_a_clear_error_then_works(tmp_path: Path) -> None:
    mnt = tmp_path / "ro"
    with tmpfs(mnt):
        db = mnt / "topicbot.sqlite3"
        config = _folder_only_config(tmp_path, db)
        assert _cli_once(config).returncode == exitcodes.OK  # creates the database
        remount(mnt, "ro")
        with pytest.raises(StoreError, match=rf"database {db}.*(readonly|read-only|unable)"):
            Store.open(db).set_meta("probe", "1")
        drop(tmp_path / FOLDER, "b.txt", "Nato-topmøde i Vilnius. Alliancen samles.")
        done = _cli_once(config)
        assert done.returncode == exitcodes.STORAGE, done.stderr
        assert "storage error" in done.stderr and str(db) in done.stderr
        assert "Traceback" not in done.stderr
        remount(mnt, "rw")
        done = _cli_once(config)
        assert done.returncode == exitcodes.OK, done.stderr
        assert alert_titles(done.stdout) == ["Nato-topmøde i Vilnius."]  # the missed file


def test_read_only_file_is_a_clear_error(tmp_path: Path) -> None:
    """File modes bind only a process without CAP_DAC_OVERRIDE: a non-root user (the Docker
    image runs as one) or root with that capability dropped, which is what is used here."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv(1) to drop CAP_DAC_OVERRIDE for the bot process")
    no_override = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    db = tmp_path / "data" / "topicbot.sqlite3"
    config = _folder_only_config(tmp_path, db)
    assert _cli_once(config, prefix=no_override).returncode == exitcodes.OK
    for p in db.parent.iterdir():
        os.chmod(p, 0o400)
    drop(tmp_path / FOLDER, "b.txt", "Nato-topmøde i Vilnius. Alliancen samles.")
    done = _cli_once(config, prefix=no_override)
    assert done.returncode == exitcodes.STORAGE, done.stderr
    assert f"database {db}" in done.stderr and "readonly database" in done.stderr
    assert "Traceback" not in done.stderr
    for p in db.parent.iterdir():
        os.chmod(p, 0o600)
    done = _cli_once(config, prefix=no_override)
    assert done.returncode == exitcodes.OK, done.stderr
    assert alert_titles(done.stdout) == ["Nato-topmøde i Vilnius."]  # the missed file


@pytest.mark.asyncio
@pytest.mark.timeout(60)
async def test_store_read_only_mid_run_pauses_and_recovers_without_loss(
    tmp_path: Path, healthy_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    setup_folder(tmp_path)
    path = "/hostile/ro-mid-run.xml"
    url = healthy_server.add(path, rss20([("urn:fj:r1", "https://www.fjendtlig.dk/r1", R1)]))
    h = build_harness(make_config(tmp_path, with_healthy(healthy_server, url)))
    loop = DeliveryLoop(h.sender.drain, idle_seconds=0.05)
    store = h.store
    try:
        await h.services.pipeline.poll_all()  # 5 alerts queued
        store._execute("PRAGMA query_only = ON")
        healthy_server.set_body(path, rss20([("urn:fj:r2", "https://www.fjendtlig.dk/r2", R2)]))
        report = await h.services.pipeline.poll_all()
        assert HOSTILE in report.failed
        (msg,) = messages(caplog, f"source {HOSTILE!r}: cannot record articles")
        assert "attempt to write a readonly database" in msg
        loop.start()
        await asyncio.sleep(1.0)
        assert 1 <= len(messages(caplog, "delivery paused")) <= 6
        store._execute("PRAGMA query_only = OFF")
        loop.wake()
        report = await h.services.pipeline.poll_all()
        assert report.failed == [] and report.new_articles == 1
        await wait_for(lambda: h.store.pending_count() == 0)
        await loop.stop()
        printed = alert_titles(h.out.getvalue())
        assert sorted(printed) == sorted([*HEALTHY_ALERTS, R1, R2]), printed
    finally:
        await loop.stop()
        await h.aclose()


# --- disk full --------------------------------------------------------------------------------


@contextlib.contextmanager
def full_disk(kind: str, tmp_path: Path, h_holder: list[Harness]) -> Iterator[Callable[[], None]]:
    """Yields ``make_full()``; leaving the block frees the space again."""
    if kind == "tmpfs":
        freed: list[Path] = []

        def make_full() -> None:
            freed.append(fill(tmp_path / "disk"))

        yield make_full
        for f in freed:
            f.unlink()
    else:

        def make_full() -> None:
            store = h_holder[0].store
            pages = store._query("PRAGMA page_count")[0][0]
            store._execute(f"PRAGMA max_page_count = {pages}")

        yield make_full
        h_holder[0].store._execute("PRAGMA max_page_count = 1073741823")


@pytest.mark.asyncio
@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", ["tmpfs", "max_page_count"])
async def test_disk_full_fails_clearly_keeps_the_outbox_and_recovers(
    kind: str, tmp_path: Path, healthy_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    setup_folder(tmp_path)
    mount: contextlib.AbstractContextManager[Path]
    mount = tmpfs(tmp_path / "disk", "8m") if kind == "tmpfs" else contextlib.nullcontext(tmp_path)
    with mount as disk:
        path = f"/hostile/full-{kind}.xml"
        url = healthy_server.add(path, big_feed("a", 2), etag=True)
        config = make_config(
            tmp_path, with_healthy(healthy_server, url), db=disk / "topicbot.sqlite3"
        )
        h = build_harness(config)
        loop = DeliveryLoop(h.sender.drain, idle_seconds=0.05)
        try:
            await h.services.pipeline.poll_all()  # queued before the disk fills, not sent
            queued = h.store.pending_count()
            assert queued == len(HEALTHY_ALERTS) + 2
            with full_disk(kind, tmp_path, [h]) as make_full:
                make_full()
                healthy_server.set_body(path, big_feed("b"))
                report = await h.services.pipeline.poll_all()
                assert HOSTILE in report.failed
                (msg,) = messages(caplog, f"source {HOSTILE!r}: cannot record articles")
                assert f"database {config.db_path}: database or disk is full" in msg
                assert h.store.pending_count() == queued  # nothing queued was lost
                loop.start()  # delivery keeps running (it may or may not manage to mark)
                await wait_for(lambda: loop.passes >= 2)  # tried, and came back for more
                assert loop._task is not None and not loop._task.done()
            # Space again: the failed feed is fetched again (its state was not committed).
            loop.wake()
            report = await h.services.pipeline.poll_all()
            assert report.failed == [] and report.new_articles == 400
            await wait_for(lambda: h.store.pending_count() == 0, timeout=20)
            await loop.stop()
            printed = alert_titles(h.out.getvalue())
            assert len(printed) == len(set(printed)) == queued + 400
            assert h.store.outbox_counts() == {"sent": queued + 400}
        finally:
            await loop.stop()
            await h.aclose()
