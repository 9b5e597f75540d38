"""One message of the delivery (an alert, a digest message, a story edit) taken through the
gate to Telegram, with the delivery policy (`bot.telegram.send_errors.POLICY`) applied to
whatever goes wrong, and the outcome written to the message's outbox rows.

Every failure is written back to the rows (retry time, error, status) before anything else
happens, so a crash or an outage never loses a message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from telegram.error import TelegramError

from bot.logging_setup import redact
from bot.ops import metrics
from bot.store import Store
from bot.telegram.gate import SendGate
from bot.telegram.send_errors import Purpose, SendFailure, Step, classify, step_for

log = logging.getLogger(__name__)

#: A third 429 in a row for the same message reschedules it instead of waiting again.
MAX_FLOODS = 3


class Outcome(Enum):
    SENT = "sent"
    FAILED = "failed"  # this message is given up; the chat's next messages may go
    STOP = "stop"  # the chat must not get more now (retry pending, gone, migrated)


class RowMarks(Protocol):
    """How a message's outbox rows record its outcome (an alert has one row, a digest many)."""

    def sent(self, message_id: int | None) -> None: ...
    def retry(self, error: str, delay: float) -> None: ...
    def failed(self, error: str) -> None: ...


@dataclass
class SendJob:
    purpose: Purpose
    chat_id: int
    #: For log lines: "alert 12", "digest", "story update 7".
    what: str
    #: Earlier failed attempts (the network back-off grows with them).
    attempts: int
    #: The request itself; called with True for the plain-text version. Returns the new
    #: message's id when there is one.
    send: Callable[[bool], Awaitable[int | None]]
    marks: RowMarks
    queued_at: datetime | None = None
    #: A paid broadcast: paced by the gate's paid budget.
    paid: bool = False


async def attempt(gate: SendGate, store: Store, job: SendJob) -> Outcome:
    """Send `job` when the gate allows, retrying in place only what the policy says to."""
    plain = False
    floods = 0
    while True:
        if not await gate.turn(job.chat_id, paid=job.paid):
            return Outcome.STOP
        started = time.perf_counter()
        failure: SendFailure | None = None
        message_id: int | None = None
        try:
            message_id = await job.send(plain)
        except (TelegramError, OSError) as exc:  # TimedOut, NetworkError, 5xx, refusals
            failure = classify(exc)
        finally:
            gate.release(job.chat_id)
        elapsed = time.perf_counter() - started
        if failure is None:
            job.marks.sent(message_id)
            metrics.record_send(True, elapsed, queued_at=job.queued_at)
            gate.network_ok()
            log.debug("%s sent to chat %d as message %s", job.what, job.chat_id, message_id)
            return Outcome.SENT
        step = step_for(failure, job.purpose)
        if step in (Step.WAIT_AND_RESEND, Step.RESCHEDULE):
            seconds = failure.retry_after
            gate.pause(seconds)
            floods += 1
            log.warning(
                "flood limit at %s for chat %d: all sending paused %.0f s",
                job.what,
                job.chat_id,
                seconds,
            )
            if (
                step is Step.WAIT_AND_RESEND
                and seconds <= gate.max_retry_after_wait
                and floods < MAX_FLOODS
            ):
                continue  # same message again once the pause is over
            job.marks.retry(failure.detail, seconds)
            metrics.record_send(False, elapsed, retry=True)
            return Outcome.STOP
        if step is Step.MIGRATE:
            assert failure.new_chat_id is not None
            log.info(
                "chat %d migrated to %d; %s follows", job.chat_id, failure.new_chat_id, job.what
            )
            store.migrate_chat(job.chat_id, failure.new_chat_id)
            gate.forget(job.chat_id)
            return Outcome.STOP  # a later round picks the moved rows up under the new id
        if step is Step.DEACTIVATE:
            chat_gone(gate, store, job.chat_id, failure.detail, job.what)
            return Outcome.STOP
        if step is Step.PLAIN_TEXT and not plain:
            log.warning(
                "%s for chat %d rejected (%s); resending as plain text",
                job.what,
                job.chat_id,
                failure.detail,
            )
            plain = True
            continue
        if step is Step.DONE:
            log.info("%s for chat %d: %s", job.what, job.chat_id, failure.detail)
            job.marks.sent(None)
            return Outcome.SENT
        if step is Step.BACK_OFF:
            delay, pause = gate.back_off(job.attempts)
            log.log(
                logging.ERROR if failure.serious else logging.WARNING,
                "%s for chat %d not sent (%s); retry in %.1f s, all sending paused %.1f s",
                job.what,
                job.chat_id,
                failure.detail,
                delay,
                pause,
            )
            job.marks.retry(failure.detail, delay)
            metrics.record_send(False, elapsed, retry=True)
            return Outcome.STOP
        # Step.FAIL, or a plain-text version refused too.
        log.error("%s for chat %d failed: %s", job.what, job.chat_id, failure.detail)
        job.marks.failed(failure.detail)
        metrics.record_send(False, elapsed)
        return Outcome.FAILED


def chat_gone(gate: SendGate, store: Store, chat_id: int, reason: str, where: str) -> None:
    """The bot cannot write there any more: stop the chat, drop what it had queued."""
    reason = redact(reason)
    log.warning("chat %d deactivated at %s: %s", chat_id, where, reason)
    store.deactivate_chat(chat_id, reason)
    gate.forget(chat_id)
