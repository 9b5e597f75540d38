"""What a failed Bot API send means, and what it does to an alert, a digest and a story edit.

`classify` is the only place that reads Telegram's errors (exception type, description text,
parameters); `POLICY` is the only place that decides what each kind of failure does to each
kind of message. `bot.telegram.attempt` carries the decision out, so alerts, digests and story
edits cannot drift apart again (they once had three copies of this chain that disagreed: an
edit to a chat that had blocked the bot never deactivated it).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter

from bot.logging_setup import redact

#: BadRequest descriptions meaning the bot can no longer write to the chat at all.
CHAT_GONE = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "have no rights to send",
    "not enough rights to send text",
    "bot is not a member",
    "user is deactivated",
)
#: BadRequest descriptions that plain text (no parse mode, shorter) can fix.
MARKUP_PROBLEMS = ("can't parse entities", "message is too long", "text is too long")
#: BadRequest descriptions of an edit that can never succeed and needs no retry.
NOTHING_TO_EDIT = (
    "message is not modified",
    "message to edit not found",
    "message can't be edited",
)


class FailureKind(Enum):
    FLOOD = "flood"  # 429: Telegram's per-bot limit; all sending must pause
    MIGRATED = "migrated"  # the group became a supergroup with a new id
    GONE = "gone"  # blocked, kicked, deleted: the bot cannot write there any more
    MARKUP = "markup"  # the HTML (or its length) was refused
    NOTHING_TO_EDIT = "nothing to edit"  # an edit that cannot and need not be retried
    REJECTED = "rejected"  # any other refusal of this one message
    TRANSIENT = "transient"  # network trouble, timeouts, 5xx: may work later


@dataclass(frozen=True)
class SendFailure:
    kind: FailureKind
    #: For logs and the outbox's error column (the token redacted).
    detail: str
    #: FLOOD: seconds Telegram asked to wait.
    retry_after: float = 0.0
    #: MIGRATED: the chat's new id.
    new_chat_id: int | None = None
    #: TRANSIENT: worth an ERROR line (a revoked token will not heal by itself).
    serious: bool = False


def retry_after_seconds(exc: RetryAfter) -> float:
    """PTB 22 gives an int or a timedelta (and warns about the change); accept both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def classify(exc: BaseException) -> SendFailure:
    """The kind of a send's failure; anything not recognised is transient (retried later)."""
    if isinstance(exc, RetryAfter):
        seconds = retry_after_seconds(exc)
        return SendFailure(FailureKind.FLOOD, f"retry after {seconds:.0f}s", retry_after=seconds)
    if isinstance(exc, ChatMigrated):
        new_id = int(exc.new_chat_id)
        return SendFailure(FailureKind.MIGRATED, f"chat migrated to {new_id}", new_chat_id=new_id)
    if isinstance(exc, Forbidden):
        return SendFailure(FailureKind.GONE, redact(f"forbidden: {exc.message}"))
    if isinstance(exc, BadRequest):
        reason = exc.message.lower()
        detail = redact(f"bad request: {exc.message}")
        if any(p in reason for p in CHAT_GONE):
            return SendFailure(FailureKind.GONE, detail)
        if any(p in reason for p in MARKUP_PROBLEMS):
            return SendFailure(FailureKind.MARKUP, detail)
        if any(p in reason for p in NOTHING_TO_EDIT):
            return SendFailure(FailureKind.NOTHING_TO_EDIT, detail)
        return SendFailure(FailureKind.REJECTED, detail)
    return SendFailure(
        FailureKind.TRANSIENT,
        redact(f"{type(exc).__name__}: {exc}"),
        serious=isinstance(exc, InvalidToken),
    )


class Purpose(Enum):
    ALERT = "alert"
    DIGEST = "digest"
    STORY_EDIT = "story edit"


class Step(Enum):
    """What a failure does to the message being sent."""

    #: Pause all sending for `retry_after`, then send the same message again; too long a
    #: pause (or a third 429 in a row) becomes RESCHEDULE.
    WAIT_AND_RESEND = "wait and resend"
    #: Pause all sending; the message waits in the outbox until `retry_after` has passed.
    RESCHEDULE = "reschedule"
    #: Move the chat's rows to its new id; they go out there in a later round.
    MIGRATE = "migrate"
    #: Deactivate the chat and drop what it had queued.
    DEACTIVATE = "deactivate"
    #: Send the plain-text version instead (once; a second refusal is FAIL).
    PLAIN_TEXT = "plain text"
    #: Nothing to do: the chat has the message already.
    DONE = "done"
    #: Give this message up (status failed); the chat's next messages may go.
    FAIL = "fail"
    #: Network trouble: retry this message after an exponential back-off and pause all
    #: sending for a while (the circuit breaker).
    BACK_OFF = "back off"


_A, _D, _E = Purpose.ALERT, Purpose.DIGEST, Purpose.STORY_EDIT
#: The delivery policy: failure kind → purpose → step.
POLICY: dict[FailureKind, dict[Purpose, Step]] = {
    FailureKind.FLOOD: {_A: Step.WAIT_AND_RESEND, _D: Step.RESCHEDULE, _E: Step.RESCHEDULE},
    # An edit cannot follow a migration: the message to edit stayed in the old chat.
    FailureKind.MIGRATED: {_A: Step.MIGRATE, _D: Step.MIGRATE, _E: Step.FAIL},
    FailureKind.GONE: dict.fromkeys(Purpose, Step.DEACTIVATE),
    # An edit has no plain version: the alert it would change stays as it was.
    FailureKind.MARKUP: {_A: Step.PLAIN_TEXT, _D: Step.PLAIN_TEXT, _E: Step.FAIL},
    FailureKind.NOTHING_TO_EDIT: {_A: Step.FAIL, _D: Step.FAIL, _E: Step.DONE},
    FailureKind.REJECTED: dict.fromkeys(Purpose, Step.FAIL),
    FailureKind.TRANSIENT: dict.fromkeys(Purpose, Step.BACK_OFF),
}


def step_for(failure: SendFailure, purpose: Purpose) -> Step:
    return POLICY[failure.kind][purpose]
