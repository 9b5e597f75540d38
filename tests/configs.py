"""Test configs and `python -m bot` subprocesses, shared so each test spells out only what it
varies (its feeds, its storage, a timeout) and every test config stays in one YAML shape."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]


def topic_item(topic_id: str, keywords: str, da: str | None = None, en: str | None = None) -> str:
    """One topics list item; `keywords` is the YAML flow list's inside, as written; each name
    defaults to the id."""
    name = f"{{da: {da or topic_id}, en: {en or topic_id}}}"
    return f"  - id: {topic_id}\n    name: {name}\n    keywords: [{keywords}]\n"


#: One topic, one keyword: the topics block most tests need.
NATO = topic_item("NATO", "nato")
#: Alert on the first poll of a feed, and on articles of any age (fixtures are dated).
FIRST_POLL: Mapping[str, object] = {"alert_on_first_poll": True, "max_age": "3650d"}

Settings = Mapping[str, object]


def _value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _section(name: str, settings: Settings | None) -> str:
    if settings is None:
        return ""
    return f"{name}:\n" + "".join(f"  {k}: {_value(v)}\n" for k, v in settings.items())


def keyword_config(
    *,
    storage: Settings,
    topics: str = NATO,
    feeds: str | None = None,
    folders: str | None = None,
    fetch: Settings | None = None,
    classifier: Settings | None = None,
    alerts: Settings | None = FIRST_POLL,
    telegram: Settings | None = None,
) -> str:
    """A keyword-mode config's YAML. `topics`, `feeds` and `folders` are list items already
    indented by two spaces; the other sections are key/value settings (None leaves one out)."""
    return (
        f"topics:\n{topics.rstrip(chr(10))}\n"
        + (f"feeds:\n{feeds.rstrip(chr(10))}\n" if feeds is not None else "")
        + (f"folders:\n{folders.rstrip(chr(10))}\n" if folders is not None else "")
        + _section("fetch", fetch)
        + _section("storage", storage)
        + _section("classifier", {"mode": "keywords", **(classifier or {})})
        + _section("alerts", alerts)
        + _section("telegram", telegram)
    )


def write_keyword_config(path: Path, **parts: object) -> Path:
    """`keyword_config(**parts)` written to `path`; the path."""
    path.write_text(keyword_config(**parts), encoding="utf-8")  # type: ignore[arg-type]
    return path


def feed_items(feeds: Sequence[tuple[str, str]], **extra: object) -> str:
    """Feed list items from (name, url) pairs, each with the same `extra` settings."""
    more = "".join(f"\n    {k}: {_value(v)}" for k, v in extra.items())
    return "\n".join(f"  - name: {name}\n    url: {url}{more}" for name, url in feeds)


def bot_command(*args: str) -> list[str]:
    """`topicbot ARGS` as this interpreter runs it (the worktree's venv)."""
    return [sys.executable, "-m", "bot", *args]


def run_bot(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`topicbot ARGS` to its end, its output captured as text; `env` adds to this one's."""
    return subprocess.run(
        bot_command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env} if env is not None else None,
    )


def start_bot(
    config: Path, env: Mapping[str, str], *, stdout: IO[bytes] | int, stderr: IO[bytes]
) -> subprocess.Popen[bytes]:
    """`topicbot run` on `config` from the repo root, logging at INFO; `env` adds to this
    one's environment (the token variable)."""
    return subprocess.Popen(
        bot_command("run", "--config", str(config)),
        cwd=ROOT,
        env={**os.environ, "TOPICBOT_LOG_LEVEL": "INFO", **env},
        stdout=stdout,
        stderr=stderr,
    )


def kill_all(procs: Sequence[subprocess.Popen[bytes]]) -> None:
    """SIGKILL whichever of `procs` still run, and reap them."""
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def wait_for(check: Callable[[], object], timeout: float, what: str) -> float:
    """Until `check()` is truthy (a log line, a count); the moment it was."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)
    return time.monotonic()
