"""How topicbot builds its PTB objects: the Application, the Bot API request backends and the
one send budget.

Shared by `topicbot run` (`bot.telegram.app`), `topicbot once` with a token
(`bot.telegram.once`) and the benchmarks, so all three talk to Telegram with the same pool
sizes, timeouts and limits.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from telegram.ext import ApplicationBuilder
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Config
from bot.i18n import LANGUAGES
from bot.telegram.gate import SendGate
from bot.telegram.handlers.common import PTBApplication
from bot.telegram.reply_limiter import ReplyLimiter
from bot.telegram.transport import make_request
from bot.telegram.update_order import PerChatUpdateProcessor

__all__ = [
    "CONNECTIONS",
    "PAID_BROADCAST_RATE",
    "PAID_IN_FLIGHT",
    "api_request",
    "api_urls",
    "build_application",
    "names_by_language",
    "send_gate",
]

#: HTTP connections for ordinary requests: the sender's concurrent sends (16 by default) plus
#: command answers; getUpdates has its own connection.
CONNECTIONS = 24
#: Paid broadcasts (`telegram.paid_broadcast`): Telegram's limit for them, messages per second,
#: and the concurrent sends it takes to reach it at ~50 ms per request (plus connections).
PAID_BROADCAST_RATE = 1000.0
PAID_IN_FLIGHT = 64


def api_urls(api_url: str) -> tuple[str, str]:
    """(base_url, base_file_url) for PTB from `telegram.api_url`.

    PTB appends the token to `base_url` (``https://api.telegram.org/bot`` + token); files live
    under ``/file/bot`` on the same server. A URL given without the ``/bot`` suffix (a
    self-hosted server's root) gets it added.
    """
    parts = urlsplit(api_url.strip())
    root = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    if not path.endswith("bot"):
        path += "/bot"
    prefix = path[: -len("bot")]  # "/" or "/custom/"
    return root + path, f"{root}{prefix}file/bot"


def names_by_language(config: Config) -> dict[str, dict[str, str]]:
    """language → topic id → display name (`Config.topic_names`), as TelegramSender holds it."""
    return {language: config.topic_names(language) for language in LANGUAGES}


def api_request(http_client: str, *, paid_broadcast: bool = False) -> BaseRequest:
    """The backend of ordinary Bot API calls (alerts, answers), `telegram.http_client` in
    the config: its pool and timeouts, shared by `run`, `once` and the benchmarks."""
    return make_request(
        http_client,
        connection_pool_size=CONNECTIONS + (PAID_IN_FLIGHT if paid_broadcast else 0),
        connect_timeout=10.0,
        read_timeout=20.0,
        write_timeout=20.0,
        pool_timeout=10.0,
    )


def send_gate(config: Config) -> SendGate:
    """The one send budget of a Telegram run: Telegram's limits, and the paid-broadcast
    budget when `telegram.paid_broadcast` is on."""
    if config.telegram.paid_broadcast:
        return SendGate.build(paid_rate=PAID_BROADCAST_RATE, max_in_flight=PAID_IN_FLIGHT)
    return SendGate.build()


def build_application(config: Config, token: str, gate: SendGate) -> PTBApplication:
    """The PTB Application: API server from the config, explicit timeouts, and every reply
    booked on the delivery's `gate` (`ReplyLimiter`; not PTB's AIORateLimiter, which paces
    no private chat, retries nothing and would count the alerts a second time)."""
    base_url, base_file_url = api_urls(config.telegram.api_url)
    return (
        ApplicationBuilder()
        .token(token)
        .rate_limiter(ReplyLimiter(gate))
        .concurrent_updates(PerChatUpdateProcessor())
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(api_request(config.telegram.http_client, paid_broadcast=gate.paid))
        # getUpdates long polls keep PTB's httpx backend, one connection. PTB adds the
        # long-poll timeout to this read timeout.
        .get_updates_request(
            HTTPXRequest(
                connection_pool_size=1,
                connect_timeout=10.0,
                read_timeout=10.0,
                write_timeout=20.0,
                pool_timeout=10.0,
            )
        )
        .build()
    )
