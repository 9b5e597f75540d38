"""Poll leases: one process polls a feed however many share the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Store

T0 = datetime(2030, 1, 1, 12, tzinfo=UTC)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as s:
        yield s


def test_a_claimed_feed_is_not_due_until_released_or_its_lease_runs_out(store: Store) -> None:
    assert store.claim_source("DR", lease=60, now=T0)
    assert not store.claim_source("DR", lease=60, now=T0 + timedelta(seconds=59))
    assert store.claim_source("DR", lease=60, now=T0 + timedelta(seconds=60))  # holder died
    store.release_source("DR", T0 + timedelta(seconds=300))
    assert store.poll_lease("DR") == T0 + timedelta(seconds=300)
    assert not store.claim_source("DR", lease=60, now=T0 + timedelta(seconds=299))
    assert store.claim_source("DR", lease=60, now=T0 + timedelta(seconds=300))
    assert store.source_state("DR").polled_before is False  # the claim row is an empty state


def test_processes_claiming_at_once_get_each_feed_once(postgres_url: str) -> None:
    stores = [Store.open(postgres_url) for _ in range(3)]
    feeds = [f"feed{i}" for i in range(40)]
    barrier = threading.Barrier(len(stores))
    won: list[list[str]] = [[] for _ in stores]

    def claim(i: int) -> None:
        barrier.wait()
        won[i] = [f for f in feeds if stores[i].claim_source(f, lease=60)]

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    try:
        assert sorted(f for w in won for f in w) == sorted(feeds)
    finally:
        for s in stores:
            s.close()
