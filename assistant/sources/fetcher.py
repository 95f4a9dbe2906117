"""Fetch an address a user typed, safely: the one place Kompas talks to other web servers.

    with Fetcher(settings) as fetcher:
        page = fetcher.get("https://www.onderwijskapitein.nl/vertrouwen/", max_bytes=settings.max_post_bytes)
        again = fetcher.get(page.url, max_bytes=..., etag=page.etag)   # again.not_modified when it did not change

The rules (each refusal is a ``FetchError`` with one line in English and one in the coach's Dutch):

- only ``http`` and ``https``, checked for the address given and for every redirect, at most ``MAX_REDIRECTS``;
- no connection to loopback, private, link-local (cloud metadata), shared, multicast or reserved addresses, unless
  ``allow_private_urls``. The check runs where the connection is made: the host name is resolved once, every
  address it resolves to is checked, and the socket connects to a checked address, never to a name resolved
  again. A name that answers "public" to a first lookup and "127.0.0.1" to the next (DNS rebinding) cannot slip
  through, and each redirect hop opens its connection through the same check. TLS still verifies the host name.
- one deadline for the whole fetch (redirects and a slow trickle of bytes included), beside httpx's per-read timeout;
- the size limit counted while the body streams in (after httpx undoes gzip), never after reading it all;
- environment proxies are ignored: a proxy would make the connection, and the checks would see only the proxy.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from assistant.errors import FetchError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from assistant.config import Settings

MAX_REDIRECTS = 5
USER_AGENT = "Kompas/0.1 (blog import for a leadership assistant)"
# Per read and per connect; the whole fetch has its own deadline (``fetch_timeout_s``).
STEP_TIMEOUT_S = 10.0

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Where clouds serve a machine's credentials. 169.254.169.254 is link-local anyway; named so the message says why.
CLOUD_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)


@dataclass(frozen=True)
class Fetched:
    """A fetched document (or a 304: ``not_modified``, no content) and the validators for the next request."""

    url: str  # the final address, after redirects
    status: int
    content: bytes = b""
    media_type: str = ""  # e.g. text/html, without parameters
    charset: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def blocked_reason(address: IPAddress) -> str:
    """Why Kompas will not connect to ``address`` (empty if it is a public internet address)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            address = embedded
    if address.is_unspecified:  # 0.0.0.0 reaches this machine itself
        return "not a public internet address"
    if address in CLOUD_METADATA:
        return "a cloud metadata address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_private:
        return "a private network address"
    if address.is_multicast or address.is_reserved or not address.is_global:
        return "not a public internet address"
    return ""


class AddressGuard:
    """Resolve a host once and keep only addresses on the public internet (all of them, if ``allow_private``).

    ``also_allowed`` lets a test open one loopback address (its server) while every other keeps the rule.
    """

    def __init__(self, allow_private: bool = False, also_allowed: Iterable[str] = ()):
        self.allow_private = allow_private
        self.also_allowed = frozenset(ipaddress.ip_address(a) for a in also_allowed)

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses to connect to, in the resolver's order; ``BlockedAddress`` if any is refused.

        One refused address refuses the host: a name that resolves to a public and a private address at once is
        the shape of a rebinding attack, and no blog needs it.
        """
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from None
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in found))
        if not self.allow_private:
            for address in addresses:
                reason = blocked_reason(address)
                if reason and address not in self.also_allowed:
                    raise BlockedAddress(host, str(address), reason)
        return [str(a) for a in addresses]


class BlockedAddress(Exception):
    """Raised where the connection would be made; the fetcher turns it into a ``FetchError`` naming the URL."""

    def __init__(self, host: str, address: str, reason: str):
        self.host, self.address, self.reason = host, address, reason
        super().__init__(f"{host} is {address}, {reason}" if host != address else f"{address} is {reason}")


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore's own socket backend, connecting only to addresses the guard resolved and allowed."""

    def __init__(self, guard: AddressGuard):
        super().__init__()
        self._guard = guard

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        error: Exception | None = None
        for address in self._guard.resolve(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as failed:  # try the host's next address, as create_connection does
                error = failed
        raise error or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, *args, **kwargs):
        raise httpcore.ConnectError("Kompas does not fetch over Unix sockets")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on the guarded backend (TLS, keep-alive and HTTP as usual)."""

    def __init__(self, guard: AddressGuard):
        super().__init__(trust_env=False)
        # httpx builds its pool without a way to pass a network backend; the pool is replaced by the same kind
        # of pool on ours. tests/sources/test_fetcher.py fails if a new httpx stops using it.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=_GuardedBackend(guard)
        )


class Fetcher:
    """GET documents within the rules above; one client (and its connection pool) for a whole sync."""

    def __init__(self, settings: Settings, guard: AddressGuard | None = None):
        self.timeout_s = settings.fetch_timeout_s
        guard = guard or AddressGuard(settings.allow_private_urls)
        self._client = httpx.Client(
            transport=GuardedTransport(guard),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,  # followed here, so each hop's address is checked and counted
            trust_env=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, max_bytes: int, etag: str = "", last_modified: str = "") -> Fetched:
        """Fetch ``url``; with ``etag``/``last_modified`` from an earlier fetch, a 304 comes back as
        ``not_modified``. Raises ``FetchError``."""
        deadline = time.monotonic() + self.timeout_s
        current = check_url(url, url)
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(MAX_REDIRECTS + 1):
            try:
                fetched = self._get_once(current, headers, max_bytes, deadline, url)
            except BlockedAddress as blocked:
                raise _refused(url, current, blocked) from None
            except httpx.TimeoutException:
                raise _too_slow(url, self.timeout_s) from None
            except httpx.HTTPError as error:
                raise FetchError(
                    url,
                    f"cannot be fetched ({_first_line(error)})",
                    "Kompas kan deze pagina niet ophalen: het adres is onbereikbaar. Klopt het adres?",
                ) from None
            if isinstance(fetched, Fetched):
                return fetched
            current = check_url(fetched, url)
        raise FetchError(
            url,
            f"more than {MAX_REDIRECTS} redirects",
            f"dit adres stuurt Kompas meer dan {MAX_REDIRECTS} keer door naar een ander adres",
        )

    def _get_once(
        self, url: str, headers: dict[str, str], max_bytes: int, deadline: float, asked: str
    ) -> Fetched | str:
        """The document, or the address a redirect points to."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise httpx.ReadTimeout("deadline")
        timeout = httpx.Timeout(min(STEP_TIMEOUT_S, remaining))
        with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
            if response.has_redirect_location:
                return urljoin(url, response.headers["location"])
            validators = {
                "etag": response.headers.get("etag", ""),
                "last_modified": response.headers.get("last-modified", ""),
            }
            if response.status_code == 304:
                return Fetched(url, 304, **validators)
            if response.status_code >= 300:
                raise _http_error(asked, response)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_big(asked, int(declared), max_bytes)
            content = _read_limited(response, max_bytes, deadline, asked)
            media_type, _, parameters = response.headers.get("content-type", "").partition(";")
            return Fetched(
                url,
                response.status_code,
                content,
                media_type.strip().lower(),
                _charset(parameters),
                **validators,
            )


def check_url(url: str, asked: str) -> str:
    """``url`` without its fragment if it is an absolute http(s) address with a host; else ``FetchError``."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        where = "" if url == asked else f" (a redirect pointed to {url})"
        raise FetchError(
            asked,
            f"only http:// and https:// addresses can be fetched{where}",
            "Kompas haalt alleen webadressen op die beginnen met https:// of http://",
        )
    return parts._replace(fragment="").geturl()


def _read_limited(response: httpx.Response, max_bytes: int, deadline: float, asked: str) -> bytes:
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise _too_big(asked, None, max_bytes)
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("deadline")
    return bytes(body)


def _charset(parameters: str) -> str:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'").lower()
    return ""


def _refused(asked: str, hop: str, blocked: BlockedAddress) -> FetchError:
    where = "" if hop == asked else f"it redirects to {hop}, and "
    return FetchError(
        asked,
        f"refused: {where}{blocked}; Kompas fetches only public internet addresses "
        "(ASSISTANT_ALLOW_PRIVATE_URLS=true allows others)",
        "Kompas haalt alleen pagina’s van het openbare internet op, en dit adres wijst (of verwijst door) naar "
        "een intern netwerk",
    )


def _too_slow(asked: str, seconds: float) -> FetchError:
    return FetchError(
        asked,
        f"the server did not answer within {seconds:g} s",
        f"de website antwoordde niet binnen {seconds:g} seconden; probeer het later opnieuw",
    )


def _too_big(asked: str, size: int | None, limit: int) -> FetchError:
    problem = (
        f"the document is {size:,} bytes, more than the limit of {limit:,}"
        if size is not None
        else f"the document is larger than the limit of {limit:,} bytes (reading stopped there)"
    )
    return FetchError(
        asked,
        problem,
        f"deze pagina is te groot; Kompas neemt tot {limit:,} bytes".replace(",", "."),
    )


def _http_error(asked: str, response: httpx.Response) -> FetchError:
    status = response.status_code
    dutch = (
        "deze pagina bestaat niet (meer); klopt het adres?"
        if status in (404, 410)
        else f"de website weigerde de pagina te geven (foutcode {status})"
    )
    return FetchError(asked, f"the server answered {status} {response.reason_phrase}".rstrip(), dutch)


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:160] if lines else type(error).__name__
