"""`topicbot run` as a real process: schedules polls, prints alerts, stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.configs import NATO, bot_command, keyword_config, topic_item

TOPICS = NATO + topic_item("Afghanistan", '"afghanistan*", "taliban*"')


def wait_for(proc: subprocess.Popen[str], lines: list[str], needle: str, timeout: float) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            lines.append(line)
            if needle in line:
                return
        elif proc.poll() is not None:
            break
    raise AssertionError(f"{needle!r} not printed; got {lines!r}")


@contextmanager
def run_in_console_mode(config: Path) -> Iterator[subprocess.Popen[str]]:
    """`topicbot run` with no token (console delivery), its output piped as text; killed on
    the way out if the test left it running."""
    proc = subprocess.Popen(
        bot_command("run", "--config", str(config)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TOPICBOT_TELEGRAM_TOKEN": ""},
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()


def test_run_polls_on_schedule_and_stops_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text(
        keyword_config(
            topics=TOPICS,
            folders=f"  - name: indbakke\n    path: {folder}\n    interval: 1s",
            storage={"path": tmp_path / "db.sqlite3"},
            alerts=None,
        )
    )
    lines: list[str] = []
    with run_in_console_mode(config) as proc:
        time.sleep(1.0)
        (folder / "a.txt").write_text("Nato åbner nyt hovedkvarter i Letland.")
        wait_for(proc, lines, "Nato åbner nyt hovedkvarter", timeout=20)
        (folder / "b.txt").write_text("Taliban lukker skoler for piger.")
        wait_for(proc, lines, "Taliban lukker skoler", timeout=20)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "stopped cleanly" in err
    assert "console mode" in err
    # Restart over the same folder: a new file is printed, the two old ones are not again.
    # The new file's alert is the barrier: the poll that printed it had seen the old ones.
    lines2: list[str] = []
    with run_in_console_mode(config) as second:
        (folder / "c.txt").write_text("Nato holder topmøde i Vilnius.")
        wait_for(second, lines2, "Nato holder topmøde", timeout=20)
        second.send_signal(signal.SIGINT)
        out2, err2 = second.communicate(timeout=20)
    assert second.returncode == 0, err2
    printed = "".join(lines2) + out2
    assert printed.count("━━ ") == 1  # one alert header: the new file's
    assert "Letland" not in printed and "Taliban" not in printed
