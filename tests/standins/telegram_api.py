"""A Telegram Bot API stand-in server for tests and benchmarks.

No maintained fake Telegram server exists, and mocking PTB internals would not
test what matters (retries, error mapping, escaping, polling), so this speaks the
real HTTP protocol and PTB's real ``Bot``/``Application`` talk to it::

    with TelegramStandin() as tg:
        app = ApplicationBuilder().token(tg.token).base_url(tg.base_url)...

Standalone (e.g. for ``topicbot run`` in a subprocess or a benchmark)::

    python -m tests.standins.telegram_api --port 0 --token 123:ABC

prints the base URL; ``RemoteStandin(url)`` then drives it from another process.
The token is never logged or printed: request lines (which contain it) are not logged.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import itertools
import json
import re
import signal
import socket
import sys
import threading
import time
import traceback
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote

from tests.standins.telegram_state import (
    JSON,
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    ApiError,
    SentMessage,
    StandinState,
    bad_request,
    parse_html,
    scope_key,
)

__all__ = ["ApiError", "RemoteStandin", "SentMessage", "TelegramStandin", "main"]

_TOKEN_RE = re.compile(r"\d+:[\w-]+")
_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
# Callable from RemoteStandin; down() only with seconds, nothing could call up() later.
_CONTROL = {
    "send_user_message",
    "send_channel_post",
    "edit_user_message",
    "press_button",
    "add_chat",
    "set_admins",
    "migrate_chat",
    "remove_bot",
    "add_bot",
    "set_bot_admin",
    "restore_bot",
    "fail_next",
    "clear_faults",
    "down",
    "sent_messages",
    "edits",
    "message",
    "method_counts",
    "answered_callbacks",
    "deleted_messages",
    "commands",
    "pending_updates",
    "rate_limited_count",
    "wait_for_messages",
}


class _Drop(Exception):
    """Close the connection without answering (fault ``drop``, or the server went down)."""


def _int(p: JSON, key: str, default: int | None = None) -> int:
    value = p.get(key, default)
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise bad_request(f"{key} is empty" if value is None else f"invalid {key}") from None


def _json(p: JSON, key: str) -> Any:
    """Form fields carry JSON-encoded values (that is what PTB sends); JSON bodies don't."""
    value = p.get(key)
    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {key} JSON object") from None
    return value


def _bool(p: JSON, key: str) -> bool:
    return p.get(key) in (True, "true", "True", "1", 1)


def _decode_params(content_type: str, body: bytes, query: str) -> JSON:
    """Query string, urlencoded form (PTB's default), JSON, or multipart (file uploads)."""
    params: JSON = dict(parse_qsl(query, keep_blank_values=True))
    mime = content_type.split(";")[0].strip().lower()
    if not body:
        return params
    if mime == "application/json":
        params.update(json.loads(body))
    elif mime == "multipart/form-data":
        boundary = re.search(r'boundary="?([^";]+)"?', content_type)
        if boundary is None:
            raise bad_request("multipart boundary missing")
        for chunk in body.split(b"--" + boundary[1].encode())[1:-1]:
            head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
            disposition = head.decode("utf-8", "replace")
            name = re.search(r';\s*name="([^"]*)"', disposition)
            if name:
                data = data.removesuffix(b"\r\n")
                params[name[1]] = data if "filename=" in disposition else data.decode()
    else:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return params


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # parked long polls must not block shutdown
    request_queue_size = 256  # benchmarks open many connections at once

    def __init__(self, address: tuple[str, int], standin: TelegramStandin) -> None:
        super().__init__(address, _Handler)
        self.standin = standin

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # clients hanging up is normal
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like PTB's httpx pool expects
    disable_nagle_algorithm = True  # avoid 40 ms delayed-ACK stalls per request
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.standin._track(self.connection, add=True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.standin._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: the request line contains the bot token."""

    def do_POST(self) -> None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""  # httpx streams uploads of unknown size this way
            while size := int(self.rfile.readline().split(b";")[0], 16):
                body += self.rfile.read(size)
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            status, ctype, payload = self.server.standin._dispatch(
                self.path, self.headers.get("Content-Type", ""), body
            )
        except _Drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST


class TelegramStandin(StandinState):
    """The Bot API on 127.0.0.1, served from background threads.

    Usable from sync tests, async tests (it never touches the caller's event loop)
    and scripts. Limits: ``rate_limit_per_s`` over all chats (Telegram: ~30/s),
    ``private_chat_limit_per_s`` per private chat (~1/s) and ``group_limit_per_min`` per
    group (~20/min); None disables each. ``limit_mode="sliding"`` (the default) answers 429
    as soon as any sliding window of that length would hold one send too many;
    ``"bucket"`` is the older, more tolerant token bucket. A send with
    ``allow_paid_broadcast`` is held to 1,000/s instead of the global limit.
    ``strict_chats`` answers "chat not found" for chats never seen before.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "topicbot_test_bot",
        rate_limit_per_s: float | None = None,
        private_chat_limit_per_s: float | None = None,
        group_limit_per_min: float | None = None,
        strict_chats: bool = False,
        limit_mode: Literal["sliding", "bucket"] = "sliding",
    ) -> None:
        super().__init__(
            token,
            bot_username=bot_username,
            rate_limit_per_s=rate_limit_per_s,
            private_chat_limit_per_s=private_chat_limit_per_s,
            group_limit_per_min=group_limit_per_min,
            strict_chats=strict_chats,
            limit_mode=limit_mode,
        )
        self.host, self.port = host, port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lifecycle = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._bad_gateway = False
        self._photo_ids = itertools.count(1)
        self._methods: dict[str, tuple[str, Callable[[JSON], Any]]] = {
            name.lower(): (name, impl)
            for name, impl in {
                "getMe": lambda p: self.bot_user,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": lambda p: {
                    "url": self._webhook,
                    "has_custom_certificate": False,
                    "pending_update_count": len(self.pending_updates()),
                },
                "setMyCommands": self._set_my_commands,
                "getMyCommands": lambda p: self.commands(
                    _json(p, "scope"), p.get("language_code", "")
                ),
                "deleteMyCommands": self._delete_my_commands,
                "sendMessage": self._send_message,
                "sendPhoto": self._send_photo,
                "editMessageText": self._edit_message,
                "editMessageReplyMarkup": self._edit_message,
                "answerCallbackQuery": self._answer_callback_query,
                "getChat": self._get_chat,
                "getChatMember": lambda p: self._member(
                    self.resolve_chat(p.get("chat_id")), _int(p, "user_id")
                ),
                "getChatAdministrators": self._get_chat_administrators,
                "getChatMemberCount": lambda p: (
                    2 + len(self._admins.get(self.resolve_chat(p.get("chat_id")), []))
                ),
                "deleteMessage": self._delete_message,
                "getFile": self._get_file,
                **dict.fromkeys(
                    (
                        "sendChatAction",
                        "setMyDescription",
                        "setMyShortDescription",
                        "setMyName",
                        "setChatMenuButton",
                        "close",
                        "logOut",
                    ),
                    lambda p: True,
                ),
            }.items()
        }

    # --- lifecycle ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``; PTB appends ``{token}/{method}``."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    def start(self) -> TelegramStandin:
        with self._lifecycle:
            if self._server is None:
                self._server = _Server((self.host, self.port), self)
                self.port = self._server.server_address[1]  # keep it across down()/up()
                self._thread = threading.Thread(
                    target=self._server.serve_forever,
                    kwargs={"poll_interval": 0.05},
                    name="telegram-standin",
                    daemon=True,
                )
                self._thread.start()
        return self

    def stop(self) -> None:
        """Close the port and every open connection; parked long polls are dropped."""
        with self._lifecycle:
            server, self._server = self._server, None
            if server is not None:
                server.shutdown()
                server.server_close()
            with self._cond:
                self._epoch += 1
                self._cond.notify_all()
                connections = list(self._connections)
            for conn in connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)

    def down(
        self, mode: Literal["refuse", "bad_gateway"] = "refuse", seconds: float | None = None
    ) -> None:
        """Telegram unreachable: refuse connections (port closed) or answer 502.

        With ``seconds`` it comes back by itself, e.g. for a subprocess bot.
        """
        if mode == "refuse":
            self.stop()
        else:
            self._bad_gateway = True
        if seconds is not None:
            timer = threading.Timer(seconds, self.up)
            timer.daemon = True
            timer.start()

    def up(self) -> None:
        """Serve again on the same port after down()."""
        self._bad_gateway = False
        self.start()

    def __enter__(self) -> TelegramStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> TelegramStandin:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        self.stop()

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._cond:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    # --- HTTP routing ------------------------------------------------------------------
    def _dispatch(self, target: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        path, _, query = target.partition("?")
        path = unquote(path)  # PTB percent-encodes file paths, token colon included
        if path.startswith("/_standin/"):
            return self._control(path.removeprefix("/_standin/"), body)
        if m := re.fullmatch(r"/file/bot([^/]*)/(.+)", path):
            data = self._files.get(m[2].rsplit("/", 1)[-1].removesuffix(".jpg"))
            if m[1] == self.token and data is not None:
                return 200, "application/octet-stream", data
            return 404, "text/plain", b"Not Found"
        try:
            if self._bad_gateway:
                raise ApiError(502, "Bad Gateway")
            m = re.fullmatch(r"/bot([^/]*)/([A-Za-z]+)", path)
            if m is None or not _TOKEN_RE.fullmatch(m[1]):
                raise ApiError(404, "Not Found")
            if m[1] != self.token:
                raise ApiError(401, "Unauthorized")
            result = self._call(m[2], _decode_params(content_type, body, query))
            reply: JSON = {"ok": True, "result": result}
            status = 200
        except ApiError as err:
            reply, status = err.payload(), err.code
        except ValueError as err:  # malformed body
            reply, status = bad_request(str(err)).payload(), 400
        except _Drop:
            raise
        except Exception as err:  # a stand-in bug: answer loudly instead of hanging up
            traceback.print_exc()
            reply = ApiError(500, f"Internal Server Error: stand-in bug {err!r}").payload()
            status = 500
        return status, "application/json", json.dumps(reply).encode()

    def _call(self, method: str, params: JSON) -> Any:
        name, impl = self._methods.get(method.lower(), (method, None))
        with self._cond:
            self._calls[name] += 1
        if impl is None:
            raise ApiError(404, "Not Found")
        fault = self.take_fault(params.get("chat_id"), name)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
        elif fault is not None and fault.kind == "drop":
            raise _Drop
        elif fault is not None:
            raise self.fault_error(fault, params.get("chat_id"))
        return impl(params)

    def _control(self, name: str, body: bytes) -> tuple[int, str, bytes]:
        if name not in _CONTROL:
            return 404, "application/json", b'{"ok": false, "description": "Not Found"}'
        attr = getattr(self, name)
        try:
            result = attr(**json.loads(body or b"{}")) if callable(attr) else attr
        except (ApiError, LookupError, TimeoutError, TypeError, ValueError) as err:
            return (
                400,
                "application/json",
                json.dumps({"ok": False, "description": repr(err)}).encode(),
            )
        return (
            200,
            "application/json",
            json.dumps({"ok": True, "result": result}, default=_jsonable).encode(),
        )

    # --- Bot API methods -----------------------------------------------------------------
    def _get_updates(self, p: JSON) -> list[JSON]:
        allowed = _json(p, "allowed_updates")
        updates = self.take_updates(
            _int(p, "offset", 0), _int(p, "limit", 100), float(p.get("timeout") or 0), allowed
        )
        if updates is None:
            raise _Drop
        return updates

    def _set_webhook(self, p: JSON) -> bool:
        with self._cond:
            self._webhook = str(p.get("url") or "")
            self._cond.notify_all()
        return True

    def _delete_webhook(self, p: JSON) -> bool:
        with self._cond:
            self._webhook = ""
            if _bool(p, "drop_pending_updates"):
                self._updates.clear()
        return True

    def _set_my_commands(self, p: JSON) -> bool:
        commands = _json(p, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not _COMMAND_NAME_RE.fullmatch(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description must be non-empty")
        key = (scope_key(_json(p, "scope")), str(p.get("language_code") or ""))
        with self._cond:
            self._commands[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        return True

    def _delete_my_commands(self, p: JSON) -> bool:
        with self._cond:
            key = (scope_key(_json(p, "scope")), str(p.get("language_code") or ""))
            self._commands.pop(key, None)
        return True

    def _formatted(self, p: JSON, key: str, limit: int, what: str) -> tuple[str, list[JSON]]:
        """Apply parse_mode like Telegram: HTML is validated; other modes pass through."""
        text = str(p.get(key) or "")
        if str(p.get("parse_mode") or "").upper() == "HTML":
            plain, entities = parse_html(text)
        else:
            plain, entities = (
                text,
                _json(p, f"{key}_entities" if key == "caption" else "entities") or [],
            )
        if key == "text" and not plain.strip():
            raise bad_request("message text is empty")
        if len(plain) > limit:
            raise bad_request(f"{what} is too long")
        return plain, entities

    def _record(self, method: str, chat_id: int, p: JSON, content: JSON, key: str) -> JSON:
        markup = _json(p, "reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            content["reply_markup"] = markup
        if (preview := _json(p, "link_preview_options")) is not None:
            content["link_preview_options"] = preview
        with self._cond:
            message = self._new_message(chat_id, {"from": self.bot_user, **content})
            sent = SentMessage(
                method,
                chat_id,
                message["message_id"],
                p.get(key),
                p.get("parse_mode"),
                content.get(key),
                content.get("entities" if key == "text" else "caption_entities", []),
                markup,
                _bool(p, "disable_notification"),
                preview,
                p.get("photo") if method == "sendPhoto" else None,
                dict(p),
            )
            self._outbox.append(sent)
            self._cond.notify_all()
        return message

    def _send_message(self, p: JSON) -> JSON:
        chat_id = self.resolve_chat(p.get("chat_id"))
        text, entities = self._formatted(p, "text", MAX_TEXT_LENGTH, "message")
        self.check_rights(chat_id)
        self.check_rate(chat_id, paid=_bool(p, "allow_paid_broadcast"))
        content: JSON = {"text": text, **({"entities": entities} if entities else {})}
        return self._record("sendMessage", chat_id, p, content, "text")

    def _send_photo(self, p: JSON) -> JSON:
        chat_id = self.resolve_chat(p.get("chat_id"))
        photo = p.get("photo")
        if isinstance(photo, str) and photo.startswith("attach://"):
            photo = p.get(photo.removeprefix("attach://"))
        if not photo:
            raise bad_request("there is no photo in the request")
        p = {**p, "photo": photo}  # recorded as uploaded bytes, or the file_id/URL given
        caption, entities = self._formatted(p, "caption", MAX_CAPTION_LENGTH, "message caption")
        self.check_rate(chat_id, paid=_bool(p, "allow_paid_broadcast"))
        file_id = f"photo{next(self._photo_ids)}"
        with self._cond:
            self._files[file_id] = photo if isinstance(photo, bytes) else str(photo).encode()
        content: JSON = {
            "photo": [
                {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id}",
                    "width": 800,
                    "height": 600,
                    "file_size": len(self._files[file_id]),
                }
            ]
        }
        if caption:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        return self._record("sendPhoto", chat_id, p, content, "caption")

    def _edit_message(self, p: JSON) -> JSON | bool:
        text_edit = "text" in p
        method = "editMessageText" if text_edit else "editMessageReplyMarkup"
        if p.get("inline_message_id"):
            return True
        chat_id = self.resolve_chat(p.get("chat_id"))
        message_id = _int(p, "message_id")
        text, entities = (
            self._formatted(p, "text", MAX_TEXT_LENGTH, "message") if text_edit else ("", [])
        )
        self.check_rate(chat_id)
        markup = _json(p, "reply_markup")
        with self._cond:
            message = self._messages.get((chat_id, message_id))
            if message is None:
                raise bad_request("message to edit not found")
            if message.get("from", {}).get("id") != self.bot_id:
                raise bad_request("message can't be edited")
            new = dict(message)
            new.pop("reply_markup", None)
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                new["reply_markup"] = markup
            if text_edit:
                new.pop("entities", None)
                new.update(text=text, **({"entities": entities} if entities else {}))
            if new == message:
                raise bad_request(
                    "message is not modified: specified new message content and reply markup "
                    "are exactly the same as a content and reply markup of the current message"
                )
            new["edit_date"] = int(time.time())
            self._messages[(chat_id, message_id)] = new
            self._edits.append(
                SentMessage(
                    method,
                    chat_id,
                    message_id,
                    p.get("text"),
                    p.get("parse_mode"),
                    new.get("text"),
                    new.get("entities", []),
                    markup,
                    _bool(p, "disable_notification"),
                    _json(p, "link_preview_options"),
                    None,
                    dict(p),
                )
            )
            self._cond.notify_all()
            return new

    def _answer_callback_query(self, p: JSON) -> bool:
        with self._cond:
            if self._callbacks.pop(str(p.get("callback_query_id")), None) is None:
                raise bad_request(
                    "query is too old and response timeout expired or query ID is invalid"
                )
            self._answered.append(
                {
                    "callback_query_id": str(p["callback_query_id"]),
                    "text": p.get("text"),
                    "show_alert": _bool(p, "show_alert"),
                    "url": p.get("url"),
                }
            )
            self._cond.notify_all()
        return True

    def _get_chat(self, p: JSON) -> JSON:
        chat_id = self.resolve_chat(p.get("chat_id"))
        return self._chats[chat_id] | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(
                (
                    "unlimited_gifts",
                    "limited_gifts",
                    "unique_gifts",
                    "premium_subscription",
                    "gifts_from_channels",
                ),
                False,
            ),
        }

    def _member(self, chat_id: int, user_id: int) -> JSON:
        user = self.bot_user if user_id == self.bot_id else self.user(user_id)
        admins = self._admins.get(chat_id, [])
        if admins[:1] == [user_id]:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id not in admins:
            return {"status": "member", "user": user}
        rights = (
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_promote_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
            "can_pin_messages",
        )
        return {
            "status": "administrator",
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
            **dict.fromkeys(rights, True),
        }

    def _get_chat_administrators(self, p: JSON) -> list[JSON]:
        chat_id = self.resolve_chat(p.get("chat_id"))
        if self._chats[chat_id]["type"] == "private":
            raise bad_request("there are no administrators in the private chat")
        return [self._member(chat_id, uid) for uid in self._admins.get(chat_id, [])]

    def _delete_message(self, p: JSON) -> bool:
        chat_id = self.resolve_chat(p.get("chat_id"))
        key = (chat_id, _int(p, "message_id"))
        with self._cond:
            if self._messages.pop(key, None) is None:
                raise bad_request("message to delete not found")
            self._deleted.append(key)
            self._cond.notify_all()
        return True

    def _get_file(self, p: JSON) -> JSON:
        file_id = str(p.get("file_id"))
        with self._cond:
            if file_id not in self._files:
                raise bad_request("invalid file_id")
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self._files[file_id]),
                "file_path": f"photos/{file_id}.jpg",
            }


class RemoteStandin:
    """Drive a standin running in another process; keyword arguments only.

    Results come back as JSON (SentMessage becomes a dict).
    """

    def __init__(self, base_url: str) -> None:
        self._root = base_url.removesuffix("/bot")

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def call(**kwargs: Any) -> Any:
            request = urllib.request.Request(
                f"{self._root}/_standin/{name}",
                data=json.dumps(kwargs).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())["result"]

        return call


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Telegram Bot API stand-in; prints base URL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--bot-username", default="topicbot_test_bot")
    parser.add_argument("--rate-limit-per-s", type=float)
    parser.add_argument("--private-chat-limit-per-s", type=float)
    parser.add_argument("--group-limit-per-min", type=float)
    parser.add_argument("--strict-chats", action="store_true")
    parser.add_argument("--limit-mode", choices=("sliding", "bucket"), default="sliding")
    args = parser.parse_args(argv)
    standin = TelegramStandin(
        args.token,
        host=args.host,
        port=args.port,
        bot_username=args.bot_username,
        rate_limit_per_s=args.rate_limit_per_s,
        private_chat_limit_per_s=args.private_chat_limit_per_s,
        group_limit_per_min=args.group_limit_per_min,
        strict_chats=args.strict_chats,
        limit_mode=args.limit_mode,
    ).start()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    print(standin.base_url, flush=True)
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        standin.stop()


if __name__ == "__main__":
    main()
