"""The one way to know who is on the other end of a request: the peer address, proxies only if trusted.

`X-Forwarded-For` is written by whoever sends the request, so it counts only when the peer
(`REMOTE_ADDR`) is one of the county's own reverse proxies (`BANGFU_TRUSTED_PROXIES`, addresses or
networks, see the README). Then the address is the right-most forwarded one that is not itself a
trusted proxy: the last hop a trusted proxy saw, which the client cannot forge. Rate limits (the
self-report) and the login lockout (django-axes via AXES_CLIENT_IP_CALLABLE) both use this.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.BANGFU_TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the address that proxy saw."""
    peer = str(request.META.get("REMOTE_ADDR", "") or "")
    if not _trusted(peer):
        return peer
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            return hop
    return peer
