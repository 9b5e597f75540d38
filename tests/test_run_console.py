"""`topicbot run` as a real process: schedules polls, prints alerts, stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

CONFIG = """\
topics:
  - id: NATO
    name: {{da: NATO, en: NATO}}
    keywords: [nato]
  - id: Afghanistan
    name: {{da: Afghanistan, en: Afghanistan}}
    keywords: ["afghanistan*", "taliban*"]
folders:
  - name: indbakke
    path: {folder}
    interval: 1s
storage:
  path: {db}
classifier:
  mode: keywords
"""


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


def test_run_polls_on_schedule_and_stops_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG.format(folder=folder, db=tmp_path / "db.sqlite3"))
    env = {**os.environ, "TOPICBOT_TELEGRAM_TOKEN": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    try:
        time.sleep(1.0)
        (folder / "a.txt").write_text("Nato åbner nyt hovedkvarter i Letland.")
        wait_for(proc, lines, "Nato åbner nyt hovedkvarter", timeout=20)
        (folder / "b.txt").write_text("Taliban lukker skoler for piger.")
        wait_for(proc, lines, "Taliban lukker skoler", timeout=20)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped cleanly" in err
    assert "console mode" in err
    # Restart over the same folder: a new file is printed, the two old ones are not again.
    # The new file's alert is the barrier: the poll that printed it had seen the old ones.
    second = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines2: list[str] = []
    try:
        (folder / "c.txt").write_text("Nato holder topmøde i Vilnius.")
        wait_for(second, lines2, "Nato holder topmøde", timeout=20)
        second.send_signal(signal.SIGINT)
        out2, err2 = second.communicate(timeout=20)
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 0, err2
    printed = "".join(lines2) + out2
    assert printed.count("━━ ") == 1  # one alert header: the new file's
    assert "Letland" not in printed and "Taliban" not in printed
