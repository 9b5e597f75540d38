"""Security properties, each checked on the real thing: the token never reaches logs or
output, config YAML cannot run code, a tampered model file is refused, the database and model
are created owner-only, and the Docker image runs as a non-root user with no baked secret."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram import Bot

from bot import exitcodes, logging_setup
from bot.cli import main
from bot.config import load_config
from bot.errors import ConfigError
from bot.logging_setup import install_log_redaction, setup_logging
from bot.store import Store
from bot.telegram.sender import TelegramSender
from classifiers.base import TopicRule
from classifiers.errors import ModelError
from classifiers.factory import build_classifier
from classifiers.model import TopicModel
from classifiers.persist import load_model, save_model, seed_model_path, sidecar_path
from classifiers.training import config_hash
from tests.configs import keyword_config, run_bot, topic_item
from tests.reliability.conftest import FOLDER, drop
from tests.standins.feed_server import FeedServer
from tests.standins.telegram_api import TelegramStandin

ROOT = Path(__file__).resolve().parents[2]
#: Shaped like a real token (bot id, colon, 35 characters) and never registered as a secret
#: in the in-process test, so only the generic token pattern can catch it.
TOKEN = "123456789:AAHfq3X9bK2mZt7LwQe4RvN8yUj0cPd5sGo"
CHAT = 303
RULES = (
    TopicRule("NATO", ("nato", "stoltenberg")),
    TopicRule("COVID-19", ("covid*", "corona*")),
    TopicRule("Afghanistan", ("afghanistan*", "taliban*", "kabul")),
)


def write_config(tmp_path: Path, api_url: str, down_url: str) -> Path:
    folder = tmp_path / FOLDER
    folder.mkdir(exist_ok=True)
    path = tmp_path / "config.yaml"
    path.write_text(
        keyword_config(
            topics=topic_item("NATO", "nato, stoltenberg"),
            feeds=f"  - name: Nede\n    url: {down_url}",
            folders=f"  - name: {FOLDER}\n    path: {folder}",
            storage={"path": tmp_path / "topicbot.sqlite3"},
            fetch={"total_timeout": "2s"},
            alerts={"alert_on_first_poll": True},
            telegram={"api_url": api_url},
        )
    )
    return path


def no_token(text: str) -> None:
    assert TOKEN not in text
    assert TOKEN.split(":")[1] not in text  # not even the secret half


# --- the token ------------------------------------------------------------------------------


def test_token_never_in_output_of_topicbot_once_at_debug(tmp_path: Path) -> None:
    """End to end: `topicbot once` in a subprocess at DEBUG, delivering through the stand-in,
    then with Telegram down (network errors), then a feed that fails; stdout and stderr of
    every run are searched for the token."""
    with TelegramStandin(token=TOKEN) as tg, FeedServer() as feeds:
        down_url = feeds.url("/gone.xml")  # 404: a failing source in the same runs
        config = write_config(tmp_path, tg.base_url, down_url)
        with Store.open(tmp_path / "topicbot.sqlite3") as store:
            store.ensure_chat(CHAT)
            store.subscribe(CHAT, ["NATO"])
        env = {"TOPICBOT_TELEGRAM_TOKEN": TOKEN, "TOPICBOT_LOG_LEVEL": "DEBUG"}

        def once() -> subprocess.CompletedProcess[str]:
            return run_bot("once", "--config", str(config), env=env)

        drop(tmp_path / FOLDER, "a.txt", "Nato-topmøde i Vilnius. Alliancen samles.")
        first = once()
        assert first.returncode == exitcodes.OK, first.stderr
        assert len(tg.sent_messages(CHAT)) == 1
        tg.down()  # Telegram unreachable: connection refused on every call
        drop(tmp_path / FOLDER, "b.txt", "Stoltenberg besøger Aalborg. Flere soldater.")
        second = once()
        tg.up()
        third = once()  # the alert queued while Telegram was down goes out now
        assert len(tg.sent_messages(CHAT)) == 2
    runs = (first, second, third)
    for run in runs:
        no_token(run.stdout)
        no_token(run.stderr)
    logged = "".join(r.stderr for r in runs)
    assert "DEBUG" in logged and "'Nede' failed" in logged and "HTTP 404" in logged
    assert re.search(r"(?i)network|connect|refused|telegram", second.stderr), second.stderr


@pytest.fixture
def topicbot_logging() -> Iterator[None]:
    """`setup_logging` changes global state; put it back afterwards."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    noisy = {n: logging.getLogger(n).level for n in ("httpx", "httpcore", "telegram")}
    yield
    for h in list(root.handlers):
        if h not in handlers:
            root.removeHandler(h)
    root.setLevel(level)
    for name, lvl in noisy.items():
        logging.getLogger(name).setLevel(lvl)


@pytest.mark.asyncio
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "registered",
    [
        pytest.param(True, id="token-registered-as-run-and-once-do"),
        # Without register_secret: the generic pattern alone must catch /bot<token> URLs.
        pytest.param(False, id="generic-token-pattern-only"),
    ],
)
async def test_token_never_in_logs_of_a_ptb_send_even_with_httpx_at_debug(
    registered: bool,
    tmp_path: Path,
    topicbot_logging: None,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In process: a real `telegram.Bot` sending through `TelegramSender`; httpx, httpcore and
    PTB turned up to DEBUG on purpose (they log URLs, and Telegram URLs carry the token), then
    the stand-in goes down so the error paths log too. `registered`: the token is registered
    as a secret first, as `topicbot run`/`once` do; without it only the generic pattern that
    recognises token-shaped strings stands between the token and the log."""
    monkeypatch.setattr(logging_setup, "_secrets", set())
    if registered:
        logging_setup.register_secret(TOKEN)
    setup_logging("DEBUG")
    for name in ("httpx", "httpcore", "telegram"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    install_log_redaction()  # what `run`/`once` install with a token (a record factory)
    caplog.set_level(logging.DEBUG)
    store = Store.open(tmp_path / "t.sqlite3")
    store.ensure_chat(CHAT)
    store.subscribe(CHAT, ["NATO"])
    from bot.article import Article
    from classifiers.base import TopicScore

    for n in (1, 2):
        store.record_articles([Article(id=f"a{n}", source="s", title=f"Nato {n}")])
        store.complete_article(
            f"a{n}", [TopicScore("NATO", 1.0, True, ("nato",))], {CHAT: ["NATO"]}
        )
        if n == 1:
            async with TelegramStandin(token=TOKEN) as tg:
                bot = Bot(TOKEN, base_url=tg.base_url)
                async with bot:
                    sender = TelegramSender(bot, store, {"da": {"NATO": "NATO"}}, retry_base=0.1)
                    assert await sender.drain() == 1
                # the stand-in is stopped here: the next send fails on the network
    bot = Bot(TOKEN, base_url=tg.base_url)
    sender = TelegramSender(bot, store, {"da": {"NATO": "NATO"}}, retry_base=0.1)
    assert await sender.drain() == 0
    row = store.outbox_row(2)
    assert row is not None and row["status"] == "pending" and row["last_error"]
    no_token(str(row["last_error"]))
    store.close()
    await asyncio.sleep(0)

    err = capsys.readouterr().err
    no_token(err)
    assert "<token>" in err  # the request URLs were logged, redacted
    assert re.search(r"not sent \(.*(Network|Connect|TimedOut)", err), err
    for record in caplog.records:
        no_token(record.getMessage())
        no_token(record.exc_text or "")
    no_token(caplog.text)


# --- YAML -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!python/name:os.system",
    ],
)
def test_yaml_tags_that_would_run_code_are_refused(
    payload: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    config = tmp_path / "config.yaml"
    config.write_text(
        "topics:\n  - id: NATO\n    name: {da: NATO, en: NATO}\n    keywords: [nato]\n"
        f"storage:\n  path: {payload.format(marker=marker)}\n"
    )
    with pytest.raises(
        ConfigError, match="not valid YAML at line .*tags such as !!python/... are not allowed"
    ):
        load_config(config)
    assert main(["check-config", "--config", str(config)]) == exitcodes.CONFIG
    assert main(["once", "--config", str(config)]) == exitcodes.CONFIG
    err = capsys.readouterr().err
    assert "configuration error" in err and "not valid YAML" in err
    assert not marker.exists()
    assert not (tmp_path / "data").exists()  # nothing was started


def test_no_unsafe_yaml_or_pickle_loading_in_the_code() -> None:
    unsafe = re.compile(
        r"yaml\.(load|load_all|full_load|unsafe_load)\s*\(|Loader\s*=\s*yaml\.(Full|Unsafe)?Loader\b"
        r"|\bpickle\.loads?\(|\bjoblib\.load\(|trusted\s*=\s*True"
    )
    hits = [
        f"{p.relative_to(ROOT)}:{i}: {line.strip()}"
        for pkg in ("bot", "classifiers")
        for p in sorted((ROOT / pkg).rglob("*.py"))
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if unsafe.search(line)
    ]
    assert hits == []


# --- models ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_model() -> TopicModel:
    docs = [
        ("Nato-topmøde i Vilnius", "Alliancen samles."),
        ("Forsvarsalliancen øger budgettet", "Nato."),
        ("Coronasmitten stiger", "Covid-19 på plejehjem."),
        ("Nyt stik mod covid", "Sundhedsstyrelsen."),
        ("Taliban indtager Kabul", "Afghanistan."),
        ("Flygtninge fra Kabul", "Taliban."),
    ]
    import numpy as np

    y = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]])
    model = TopicModel(topics=tuple(r.id for r in RULES), min_df=1).fit(docs, y)
    model.config_hash_ = config_hash(RULES)  # as training does: it matches these rules
    return model


def _tampered(tmp_path: Path, model: TopicModel, evil: object, name: str) -> Path:
    """A model file with ``evil`` inside, and the genuine sidecar beside it."""
    import skops.io as sio

    good = save_model(model, tmp_path / "good.skops")
    path = tmp_path / name
    path.write_bytes(sio.dumps(evil))
    sidecar_path(path).write_bytes(sidecar_path(good).read_bytes())
    return path


def test_model_with_an_untrusted_function_inside_is_refused(
    tmp_path: Path, small_model: TopicModel
) -> None:
    import copy

    evil = copy.deepcopy(small_model)
    evil.hook_ = os.system  # type: ignore[attr-defined]
    path = _tampered(tmp_path, small_model, evil, "model.skops")
    with pytest.raises(ModelError, match=r"refusing to load untrusted types \[.*system"):
        load_model(path, None)
    assert load_model(save_model(small_model, tmp_path / "ok.skops"), None).topics


def test_model_of_another_type_is_refused(tmp_path: Path, small_model: TopicModel) -> None:
    from sklearn.preprocessing import FunctionTransformer

    path = _tampered(tmp_path, small_model, FunctionTransformer(func=eval), "model.skops")
    with pytest.raises(ModelError, match="refusing to load untrusted types"):
        load_model(path, None)


def test_tampered_model_at_start_is_not_used(
    tmp_path: Path, small_model: TopicModel, caplog: pytest.LogCaptureFixture
) -> None:
    """At start the factory refuses the file (a warning saying why) and uses the seed model
    from its own file; the refused file stays as it is, for the operator to look at."""
    caplog.set_level(logging.WARNING)
    evil = small_model
    evil.hook_ = os.system  # type: ignore[attr-defined]
    try:
        path = _tampered(tmp_path, small_model, evil, "model.skops")
    finally:
        del evil.hook_  # type: ignore[attr-defined]
    tampered = path.read_bytes()
    build_classifier(RULES, mode="hybrid", model_path=path)
    assert any("untrusted types" in r.getMessage() for r in caplog.records)
    assert path.read_bytes() == tampered
    assert "hook_" not in vars(load_model(seed_model_path(path), RULES))


# --- file modes -----------------------------------------------------------------------------


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.usefixtures("permissive_umask")
def test_database_files_are_owner_only_even_with_umask_0(tmp_path: Path) -> None:
    db = tmp_path / "data" / "topicbot.sqlite3"
    with Store.open(db) as store:
        store.ensure_chat(CHAT)  # a write: the WAL and shared-memory files exist now
        for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            assert p.exists() and mode(p) == 0o600, (p, oct(mode(p)))


@pytest.mark.usefixtures("permissive_umask")
def test_model_files_are_owner_only_even_with_umask_0(
    tmp_path: Path, small_model: TopicModel
) -> None:
    path = save_model(small_model, tmp_path / "m.skops")
    assert mode(path) == 0o600 and mode(sidecar_path(path)) == 0o600
    seed = seed_model_path(tmp_path / "data" / "model.skops")
    build_classifier(RULES, mode="hybrid", model_path=tmp_path / "data" / "model.skops")
    assert mode(seed) == 0o600 and mode(sidecar_path(seed)) == 0o600  # the first-start path


@pytest.mark.usefixtures("permissive_umask")
def test_data_folders_created_by_topicbot_are_not_world_writable(
    tmp_path: Path, small_model: TopicModel
) -> None:
    with Store.open(tmp_path / "db" / "t.sqlite3"):
        pass
    save_model(small_model, tmp_path / "models" / "m.skops")
    assert mode(tmp_path / "db") & 0o022 == 0, oct(mode(tmp_path / "db"))
    assert mode(tmp_path / "models") & 0o022 == 0, oct(mode(tmp_path / "models"))


# --- Docker ---------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        out.append((keyword.upper(), args.strip()))
    return out


def test_docker_image_runs_as_a_non_root_user_without_baked_secrets() -> None:
    instructions = dockerfile_instructions()
    keywords = [k for k, _ in instructions]
    assert "CMD" in keywords or "ENTRYPOINT" in keywords
    start = min(i for i, k in enumerate(keywords) if k in ("CMD", "ENTRYPOINT"))
    users = [args for k, args in instructions[:start] if k == "USER"]
    assert users, "no USER before CMD/ENTRYPOINT: the image would run as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0", ""), user
    assert not [args for k, args in instructions[start:] if k == "USER"]  # not switched back
    # The user is created as a system user in the image.
    assert any(
        k == "RUN" and re.search(rf"useradd\b.*\b{re.escape(user)}\b", a) for k, a in instructions
    )
    secret = re.compile(r"(?i)(token|secret|password|passwd|api_?key)")
    for k, args in instructions:
        if k in ("ENV", "ARG", "LABEL"):
            assert not secret.search(args), f"{k} {args}"
        assert not re.search(r"\b\d{6,}:[A-Za-z0-9_-]{30,}", args), "a bot token in the image"
        if k in ("COPY", "ADD"):
            sources = args.split()[:-1]
            assert "." not in sources and ".env" not in sources, args  # no whole-tree copy
