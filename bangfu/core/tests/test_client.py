"""The client address: the peer, unless the peer is a trusted proxy (security review D7)."""

from __future__ import annotations

import pathlib

from django.test import RequestFactory

from bangfu.core.client import client_address


def _req(remote: str, forwarded: str = ""):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings) -> None:
    settings.BANGFU_TRUSTED_PROXIES = []
    assert client_address(_req("203.0.113.7", "10.85.35.178")) == "203.0.113.7"
    settings.BANGFU_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_address(_req("203.0.113.7", "10.85.35.178")) == "203.0.113.7"  # not our proxy


def test_behind_a_trusted_proxy_the_last_untrusted_hop_counts(settings) -> None:
    settings.BANGFU_TRUSTED_PROXIES = ["10.0.0.5", "192.168.10.0/24"]
    assert client_address(_req("10.0.0.5", "198.51.100.4")) == "198.51.100.4"
    # the client forged a left-most entry: the hop our proxy saw is the right-most untrusted one
    assert client_address(_req("10.0.0.5", "1.2.3.4, 198.51.100.4")) == "198.51.100.4"
    assert client_address(_req("10.0.0.5", "198.51.100.4, 192.168.10.20")) == "198.51.100.4"  # two of ours
    assert client_address(_req("10.0.0.5")) == "10.0.0.5"  # no header: the proxy itself
    assert client_address(_req("10.0.0.5", "garbage")) == "garbage"  # an untrusted value, kept apart as such


def test_one_helper_reads_client_addresses() -> None:
    """Nobody else reads X-Forwarded-For or REMOTE_ADDR (tests and the helper itself aside)."""
    root = pathlib.Path(__file__).resolve().parents[2]
    readers = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "tests" not in p.parts
        and p.name != "client.py"
        and ("HTTP_X_FORWARDED_FOR" in (text := p.read_text()) or "REMOTE_ADDR" in text)
    ]
    assert readers == []
