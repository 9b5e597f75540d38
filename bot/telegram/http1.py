"""Reading one HTTP/1.1 answer from an asyncio stream, for `bot.telegram.transport`.

Only what the Bot API's answers need: a status line (1xx skipped), headers, and a body told
by Content-Length, by chunks, or by the connection's end; bounded in size. Whether the
connection may be reused comes back with the answer.
"""

from __future__ import annotations

import asyncio

__all__ = ["MAX_RESPONSE_BYTES", "ProtocolError", "read_response"]

#: The largest answer accepted (getFile downloads are capped at 20 MB by Telegram).
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


class ProtocolError(Exception):
    """The server's answer is not the HTTP/1.1 we can read.

    Messages never quote what the server sent: a server that echoes the request (or a
    non-HTTP service at the API URL) would put the request line, and the token, in them.
    """


async def read_response(reader: asyncio.StreamReader, method: str) -> tuple[int, bytes, bool]:
    """(status, body, connection reusable) of one HTTP/1.1 answer."""
    while True:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        if not version.startswith("HTTP/1."):
            raise ProtocolError("not an HTTP/1.x status line")
        status = _number(rest[:3], "status code") if rest[3:4] in ("", " ") else -1
        if status < 100:
            raise ProtocolError("bad status code")
        if status >= 200 or status == 101:
            break  # 1xx (100 Continue) are skipped
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, sep, value = line.partition(":")
            if not sep:
                raise ProtocolError("malformed header line")
            headers[name.strip().lower()] = value.strip()
    connection = headers.get("connection", "").lower()
    keep = "close" not in connection and (version != "HTTP/1.0" or "keep-alive" in connection)
    if method == "HEAD" or status in (204, 304):
        return status, b"", keep
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return status, await _read_chunked(reader), keep
    if "content-length" in headers:
        length = _number(headers["content-length"], "Content-Length")
        if length < 0 or length > MAX_RESPONSE_BYTES:
            raise ProtocolError(f"answer of {length} bytes refused")
        return status, await reader.readexactly(length), keep
    # No length: the body ends with the connection.
    body = bytearray()
    while chunk := await reader.read(65536):
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES:
            raise ProtocolError("answer too large")
    return status, bytes(body), False


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = _number(size_line.split(b";", 1)[0].strip().decode("latin-1"), "chunk size", 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers
            return bytes(body)
        if len(body) + size > MAX_RESPONSE_BYTES:
            raise ProtocolError("answer too large")
        body += await reader.readexactly(size)
        if await reader.readexactly(2) != b"\r\n":
            raise ProtocolError("chunk not terminated by CRLF")


def _number(text: str, what: str, base: int = 10) -> int:
    """A non-negative integer from the server, or a `ProtocolError` that does not quote it."""
    digits = "0123456789abcdefABCDEF"[: 10 if base == 10 else 22]
    if not text or text.strip(digits):
        raise ProtocolError(f"bad {what}")
    return int(text, base)
