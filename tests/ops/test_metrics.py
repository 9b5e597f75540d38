"""The record_* helpers count what they say, and the store collector reads the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops import metrics
from bot.store import Store


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def test_poll_outcomes_are_counted_per_source() -> None:
    before = {
        k: sample("topicbot_polls_total", source="Testkilde", outcome=k)
        for k in ("ok", "error", "skipped")
    }
    errors = sample("topicbot_fetch_errors_total", source="Testkilde")
    metrics.record_poll("Testkilde", True, 0.1, new_articles=4)
    metrics.record_poll("Testkilde", False, 2.0)
    metrics.record_poll("Testkilde", False, 0.0, skipped=True)
    for k in ("ok", "error", "skipped"):
        assert sample("topicbot_polls_total", source="Testkilde", outcome=k) == before[k] + 1
    assert sample("topicbot_fetch_errors_total", source="Testkilde") == errors + 1
    assert sample("topicbot_new_articles_total", source="Testkilde") >= 4


def test_sends_by_outcome_and_batches() -> None:
    sent, retry, failed = (
        sample("topicbot_alert_sends_total", outcome=o) for o in ("sent", "retry", "failed")
    )
    metrics.record_send(True, 0.3)
    metrics.record_send(False, 1.0, retry=True)
    metrics.record_send(False, 0.1)
    metrics.record_sends(3, 0.6)
    assert sample("topicbot_alert_sends_total", outcome="sent") == sent + 4
    assert sample("topicbot_alert_sends_total", outcome="retry") == retry + 1
    assert sample("topicbot_alert_sends_total", outcome="failed") == failed + 1
    since = metrics.seconds_since_last_send()
    assert since is not None and since < 5


@pytest.mark.asyncio
async def test_instrument_drain_counts_what_the_drain_sent() -> None:
    async def drain() -> int:
        return 2

    before = sample("topicbot_alert_sends_total", outcome="sent")
    assert await metrics.instrument_drain(drain)() == 2
    assert sample("topicbot_alert_sends_total", outcome="sent") == before + 2


def test_exposition_includes_outbox_gauges_from_the_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "m.sqlite3") as store:
        text = metrics.exposition(store).decode()
    assert 'topicbot_outbox_alerts{status="pending"} 0.0' in text
    assert "topicbot_outbox_oldest_due_seconds 0.0" in text
    assert "# TYPE topicbot_polls_total counter" in text
