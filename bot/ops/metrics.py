"""Prometheus metrics: what the pipeline and the senders report, in one dedicated registry.

A dedicated `CollectorRegistry` (not prometheus-client's global one) keeps library metrics and
test runs from leaking in. The `record_*` functions are one-liners for the code being measured
and never raise: a metrics bug must not stop a poll or a send.

Outbox sizes are not counted here but read from the store at scrape time (`StoreCollector`),
so they are right after a restart and whichever process queued the alerts.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.errors import StoreError
from bot.store import Store
from bot.store import stats as store_stats

log = logging.getLogger(__name__)

# `*_created` series double the output and no dashboard here uses them.
disable_created_metrics()
REGISTRY = CollectorRegistry(auto_describe=True)

POLLS = Counter(
    "topicbot_polls",
    "Polls of a source by outcome (ok, error, skipped while backing off).",
    ["source", "outcome"],
    registry=REGISTRY,
)
FETCH_ERRORS = Counter(
    "topicbot_fetch_errors", "Failed polls per source.", ["source"], registry=REGISTRY
)
OUTBOUND_REFUSED = Counter(
    "topicbot_outbound_refused",
    "Fetches for feed content (item pages, redirect hops) refused by the outbound policy.",
    ["source"],
    registry=REGISTRY,
)
POLL_SECONDS = Histogram(
    "topicbot_poll_duration_seconds",
    "Time to fetch, parse and record one source.",
    ["source"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
    registry=REGISTRY,
)
LAST_POLL_OK = Gauge(
    "topicbot_last_successful_poll_timestamp_seconds",
    "Unix time of the last successful poll per source.",
    ["source"],
    registry=REGISTRY,
)
NEW_ARTICLES = Counter(
    "topicbot_new_articles", "New articles recorded per source.", ["source"], registry=REGISTRY
)
TOPIC_ARTICLES = Counter(
    "topicbot_articles_matched",
    "Articles classified as matching a topic.",
    ["topic"],
    registry=REGISTRY,
)
CLASSIFIED = Counter("topicbot_articles_classified", "Articles classified.", registry=REGISTRY)
CLASSIFY_SECONDS = Histogram(
    "topicbot_classification_seconds",
    "Time to classify one batch of articles.",
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
ALERTS_QUEUED = Counter(
    "topicbot_alerts_queued", "Alerts written to the outbox.", registry=REGISTRY
)
SENDS = Counter(
    "topicbot_alert_sends",
    "Send attempts by outcome (sent, retry: will be tried again, failed: given up).",
    ["outcome"],
    registry=REGISTRY,
)
SEND_SECONDS = Histogram(
    "topicbot_send_latency_seconds",
    "Time one send attempt took (the API call).",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
QUEUE_DELAY = Histogram(
    "topicbot_alert_delay_seconds",
    "Time from an alert being queued to it being sent.",
    buckets=(1, 5, 15, 30, 60, 300, 900, 3600, 21600),
    registry=REGISTRY,
)

for _outcome in ("sent", "retry", "failed"):
    SENDS.labels(_outcome)

#: Monotonic time of the last successful send in this process (None: none yet).
_last_send: float | None = None


def _safe(fn: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            fn(*args, **kwargs)
        except Exception:  # pragma: no cover - metrics must never break the caller
            log.exception("metrics: %s failed", fn.__name__)

    return wrapper


@_safe
def record_poll(
    source: str, ok: bool, seconds: float, *, skipped: bool = False, new_articles: int = 0
) -> None:
    """One poll of `source` finished (call for every poll, failed or skipped too)."""
    if skipped:
        POLLS.labels(source, "skipped").inc()
        return
    POLLS.labels(source, "ok" if ok else "error").inc()
    POLL_SECONDS.labels(source).observe(max(0.0, seconds))
    if ok:
        LAST_POLL_OK.labels(source).set(time.time())
        if new_articles:
            NEW_ARTICLES.labels(source).inc(new_articles)
    else:
        FETCH_ERRORS.labels(source).inc()


@_safe
def record_outbound_refused(source: str) -> None:
    """The outbound policy refused a fetch on behalf of `source`'s content."""
    OUTBOUND_REFUSED.labels(source).inc()


@_safe
def record_articles(topic_counts: Mapping[str, int]) -> None:
    """Articles newly matched per topic (e.g. a Counter over a classified batch)."""
    for topic, n in topic_counts.items():
        if n:
            TOPIC_ARTICLES.labels(topic).inc(n)


@_safe
def record_classification(seconds: float, n: int) -> None:
    """One classifier call over `n` articles took `seconds`."""
    CLASSIFY_SECONDS.observe(max(0.0, seconds))
    CLASSIFIED.inc(n)


@_safe
def record_alerts_queued(n: int) -> None:
    if n:
        ALERTS_QUEUED.inc(n)


@_safe
def record_send(
    ok: bool,
    latency_seconds: float,
    *,
    retry: bool = False,
    queued_at: datetime | None = None,
) -> None:
    """One send attempt: ok, or failed for good, or failed to be retried (`retry=True`).

    `queued_at` (the outbox row's creation time) adds the alert's queue-to-delivery delay.
    """
    global _last_send
    SEND_SECONDS.observe(max(0.0, latency_seconds))
    if ok:
        SENDS.labels("sent").inc()
        _last_send = time.monotonic()
        if queued_at is not None:
            QUEUE_DELAY.observe(max(0.0, (datetime.now(UTC) - queued_at).total_seconds()))
    else:
        SENDS.labels("retry" if retry else "failed").inc()


@_safe
def record_sends(n: int, seconds: float) -> None:
    """A sender that only reports batches: `n` alerts sent in `seconds` (latency averaged)."""
    for _ in range(n):
        record_send(True, seconds / n)


ROLE = Gauge(
    "topicbot_role",
    "1 for each role this process holds (poller, bot); see bot.roles.",
    ["role"],
    registry=REGISTRY,
)
_roles: dict[str, bool] = {}


def set_role(role: str, held: bool) -> None:
    _roles[role] = held
    ROLE.labels(role).set(int(held))


def roles() -> dict[str, bool] | None:
    """Role → held, for the roles this process runs (None before `run` set any)."""
    return dict(_roles) if _roles else None


def seconds_since_last_send() -> float | None:
    """Seconds since this process last sent an alert successfully (None: never)."""
    return None if _last_send is None else time.monotonic() - _last_send


def instrument_drain(drain: Callable[[], Awaitable[int]]) -> Callable[[], Awaitable[int]]:
    """Wrap a sender's ``drain() -> sent`` so batch sends are counted (the console sender)."""

    @functools.wraps(drain)
    async def wrapped() -> int:
        start = time.perf_counter()
        sent = await drain()
        if sent:
            record_sends(sent, time.perf_counter() - start)
        return sent

    return wrapped


#: Outbox statuses reported even at zero (a gauge that vanishes at 0 breaks alert rules).
OUTBOX_STATUSES = ("pending", "sent", "failed", "dropped")


class StoreCollector(Collector):
    """Gauges read from the database at scrape time: they survive restarts by construction."""

    def __init__(self, store: Store, *, chat_ids: Sequence[int] | None = None) -> None:
        self.store = store
        self.chat_ids = chat_ids

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("topicbot_database_up", "1 if the database answers.")
        try:
            counts = dict.fromkeys(OUTBOX_STATUSES, 0) | self.store.outbox_counts()
            oldest = store_stats.oldest_due_pending(self.store, chat_ids=self.chat_ids)
            stored = self.store.article_count()
        except StoreError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        outbox = GaugeMetricFamily(
            "topicbot_outbox_alerts", "Alerts in the outbox by status.", labels=["status"]
        )
        for status, n in sorted(counts.items()):
            outbox.add_metric([status], n)
        yield outbox
        age = GaugeMetricFamily(
            "topicbot_outbox_oldest_due_seconds",
            "How long the longest-waiting due alert has been due (0: none due).",
        )
        age.add_metric(
            [], max(0.0, (datetime.now(UTC) - oldest).total_seconds()) if oldest else 0.0
        )
        yield age
        articles = GaugeMetricFamily("topicbot_articles_stored", "Articles in the database.")
        articles.add_metric([], stored)
        yield articles


class _Combined(Collector):
    def __init__(self, *collectors: Collector) -> None:
        self.collectors = collectors

    def collect(self) -> Iterator[Metric]:
        for c in self.collectors:
            yield from c.collect()


def exposition(store: Store | None = None, *, chat_ids: Sequence[int] | None = None) -> bytes:
    """The /metrics body: the process's metrics plus the store's, in Prometheus text format."""
    if store is None:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Combined(REGISTRY, StoreCollector(store, chat_ids=chat_ids)))
    return generate_latest(registry)
