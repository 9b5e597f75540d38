"""Fixtures shared by the whole suite."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import load_config
from classifiers.factory import default_model
from classifiers.hybrid import HybridClassifier
from tests.standins.postgres import PostgresServer, find_bindir

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

#: The migrated database every PostgreSQL test database is copied from.
PG_TEMPLATE = "topicbot_template"
_pg_names = itertools.count()


@pytest.fixture(scope="session")
def shipped() -> HybridClassifier:
    """The shipped config.yaml topics with the default model: what every new install runs."""
    config = load_config(ROOT / "config.yaml")
    rules = config.topic_rules()
    return HybridClassifier(rules, default_model(rules), languages=config.classifier.languages)


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` beside the project; absent on a user's machine, so tests skip."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (it holds the test corpora; CI has it)")
    return SHARED


@pytest.fixture
def seed_file(shared_dir: Path) -> Path:
    path = shared_dir / "seed" / "000_053f5145477e3d55.txt"
    if not path.is_file():
        pytest.skip("../shared/seed/000_053f5145477e3d55.txt is absent")
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the session; skipped (failed in CI) without one."""
    bindir = find_bindir()
    if bindir is None:
        reason = "no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)")
        pytest.skip(reason)
    from bot.store import Store

    with PostgresServer(bindir) as server:
        Store.open(server.create_database(PG_TEMPLATE)).close()
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, migrated database of its own (a copy of the template: ~30 ms)."""
    name = f"t{os.getpid()}_{next(_pg_names)}"
    yield postgres_server.create_database(name, template=PG_TEMPLATE)
    postgres_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test once per backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "db" / "topicbot.sqlite3")
    return str(request.getfixturevalue("postgres_url"))
