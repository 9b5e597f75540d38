"""The outbound policy: which addresses a request made on behalf of feed content may reach.

A feed's items are written by whoever controls the outlet (or an aggregator's users). Without
a policy, an item whose link is ``http://169.254.169.254/…`` or ``http://intranet/…`` makes the
bot read the network it runs in and put what it finds into alerts: server-side request forgery.
So every request that feed content chooses (item pages, robots.txt, every redirect hop of feeds
and pages) goes through `OutboundTransport`, which refuses loopback, private, link-local,
unique-local, multicast, reserved and unspecified addresses, IPv4 and IPv6 alike (an
IPv4-mapped IPv6 address is judged as the IPv4 address it maps).

The check is made on the address actually connected to: `GuardedBackend` (an httpcore network
backend) resolves the name once, checks every address, and connects to a checked address. The
URL keeps the name, so the Host header and TLS SNI/certificate checks are as before. Checking a
name and then letting the socket layer resolve it again would leave a DNS-rebinding window: a
name answering "public" to the check and "127.0.0.1" to the connect.

The feed URLs the operator wrote in config.yaml are the operator's choice: the first request of
such a URL goes through an unchecked transport (its redirects do not). ``fetch.
allow_private_networks: true`` lifts the address check for intranet installations; only http
and https are ever fetched.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import urllib.request
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import httpcore
import httpx

__all__ = [
    "OPERATOR_URL",
    "GuardedBackend",
    "OutboundPolicy",
    "OutboundTransport",
    "RefusalLog",
    "Resolver",
    "TargetRefused",
    "address_refusal",
    "system_resolver",
]

log = logging.getLogger(__name__)

#: Request extension naming the operator-written URL this request may fetch unchecked.
OPERATOR_URL = "topicbot.operator_url"
ALLOWED_SCHEMES = frozenset({"http", "https"})

#: ``(host, port) -> addresses``; injectable so tests can make a name resolve anywhere.
Resolver = Callable[[str, int], Awaitable[list[str]]]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")


class TargetRefused(Exception):
    """The policy refuses this target; ``reason`` says why in operator terms."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the OS resolver gives for ``host`` (TCP), in its order, once each."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_refusal(ip: IPAddress) -> str | None:
    """What kind of non-public address ``ip`` is ("loopback", …), or None when it is public.

    An IPv4-mapped IPv6 address (``::ffff:127.0.0.1``) is judged as its IPv4 address: the
    kernel connects to exactly that, and Python before 3.13 calls it neither loopback nor
    private.
    """
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    if mapped is not None:
        inner = address_refusal(mapped)
        return f"{inner} (IPv4-mapped)" if inner else None
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv6Address) and ip in _UNIQUE_LOCAL:
        return "unique-local"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "non-public"  # shared address space (100.64/10), documentation ranges …
    return None


@dataclass(frozen=True, slots=True)
class OutboundPolicy:
    """Which targets feed content may make us fetch."""

    allow_private_networks: bool = False
    resolver: Resolver = system_resolver

    def check_scheme(self, url: httpx.URL) -> None:
        if url.scheme not in ALLOWED_SCHEMES:
            raise TargetRefused(f"scheme {url.scheme!r} not allowed (only http and https)")

    async def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``: resolved once, every one checked.

        A name with any non-public address among its answers is refused as a whole: mixing a
        public and an internal address is how a rebinding attacker hedges.
        """
        try:
            literal: IPAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            found = [str(literal)]
        else:
            found = await self.resolver(host, port)
            if not found:
                raise socket.gaierror(socket.EAI_NONAME, f"no address for {host}")
        if self.allow_private_networks:
            return found
        for address in found:
            kind = address_refusal(ipaddress.ip_address(address))
            if kind is None:
                continue
            if literal is not None:
                raise TargetRefused(f"{host} is a {kind} address")
            raise TargetRefused(f"{host} resolves to {address}, a {kind} address")
        return found


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the policy allows.

    httpcore passes the URL's host to `connect_tcp` and uses the same host for TLS SNI and
    certificate checks, so connecting to the checked IP here keeps both on the name.
    """

    def __init__(self, policy: OutboundPolicy) -> None:
        self.policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self.policy.addresses(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:  # gaierror: the fetcher reports "DNS lookup failed"
            raise httpcore.ConnectError(str(exc)) from exc
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise TargetRefused("unix sockets are not fetched for feed content")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _GuardedHTTPTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (request conversion, error mapping) over a `GuardedBackend` pool.

    httpx 0.28 takes no network backend (encode/httpx#3749 adds one), so the pool it built is
    replaced by an identical one that uses ours; pyproject pins httpx below 0.29.
    """

    def __init__(self, policy: OutboundPolicy, *, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )


class OutboundTransport(httpx.AsyncBaseTransport):
    """Routes each request (each redirect hop is one) to the unchecked or the guarded pool.

    Only a request for exactly the URL named in its `OPERATOR_URL` extension goes unchecked;
    httpx copies extensions onto redirect requests, whose URLs differ, so every hop is checked.
    The two pools never share a connection, so an operator's intranet feed host cannot lend
    its connection to an item page on the same host.

    A custom transport turns off httpx's own use of ``HTTP(S)_PROXY``; operator URLs still go
    through such a proxy (honouring ``NO_PROXY``). Checked requests never do: behind a proxy
    the address connected to would be the proxy's, and the proxy would resolve the name again.
    """

    def __init__(self, policy: OutboundPolicy, *, limits: httpx.Limits) -> None:
        self.policy = policy
        self._limits = limits
        self._direct = httpx.AsyncHTTPTransport(limits=limits)
        self._proxied: dict[str, httpx.AsyncHTTPTransport] = {}
        self._guarded = _GuardedHTTPTransport(policy, limits=limits)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        operator_url = request.extensions.get(OPERATOR_URL)
        if operator_url is not None and httpx.URL(operator_url) == request.url:
            return await self._operator_transport(request.url).handle_async_request(request)
        self.policy.check_scheme(request.url)
        return await self._guarded.handle_async_request(request)

    def _operator_transport(self, url: httpx.URL) -> httpx.AsyncHTTPTransport:
        proxies = urllib.request.getproxies_environment()
        proxy = proxies.get(url.scheme) or proxies.get("all")
        if not proxy or not proxy.startswith(("http://", "https://")):
            return self._direct
        # In urllib.request since Python 2, but typeshed lists only the documented names.
        if urllib.request.proxy_bypass_environment(url.host, proxies):  # type: ignore[attr-defined]
            return self._direct
        if proxy not in self._proxied:
            self._proxied[proxy] = httpx.AsyncHTTPTransport(proxy=proxy, limits=self._limits)
        return self._proxied[proxy]

    async def aclose(self) -> None:
        for transport in (self._direct, self._guarded, *self._proxied.values()):
            await transport.aclose()


@dataclass
class RefusalLog:
    """Logs a refused fetch once per feed (then at debug level) and tells a counter each time.

    An outlet whose items all point inside would otherwise log one warning per item per poll.
    """

    on_refused: Callable[[str], None] | None = None
    _warned: set[str] = field(default_factory=set)

    def refused(self, source: str, what: str, url: str, reason: str) -> None:
        if source in self._warned:
            log.debug("%s: %s %s not fetched: %s", source, what, url, reason)
        else:
            self._warned.add(source)
            log.warning(
                "%s: %s %s not fetched: %s (outbound policy; further refusals for this feed "
                "are logged at debug level and counted in topicbot_outbound_refused)",
                source,
                what,
                url,
                reason,
            )
        if self.on_refused is not None:
            try:
                self.on_refused(source)
            except Exception:  # a metrics bug must not lose the article
                log.exception("%s: counting a refused fetch failed", source)
