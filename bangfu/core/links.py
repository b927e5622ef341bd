"""URLs of named routes, reversed once per process: `links.url("registry:household_detail", pk)`.

Django's `reverse` walks the URL resolver on every call (about 30 µs); a list page of 50 rows, each
linking to its object, and the navigation of every page call it dozens of times per request. Here a
route is reversed once with a marker number for each integer argument, and the pieces around the
markers are kept (per script prefix and URL configuration); a call joins them with the ids. Only
integer arguments: anything else goes through `reverse`.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = "918273645"


@lru_cache(maxsize=1024)
def _pieces(name: str, count: int, prefix: str, urlconf: str | None) -> tuple[str, ...]:
    pieces = tuple(reverse(name, args=[int(_MARK)] * count, urlconf=urlconf).split(_MARK))
    if len(pieces) != count + 1:
        raise ValueError(f"{name}: the route's own text contains {_MARK}")
    return pieces


def url(name: str, *ids: int) -> str:
    """reverse(name, args=ids) for integer ids, without walking the resolver after the first call."""
    pieces = _pieces(name, len(ids), get_script_prefix(), get_urlconf())
    out = [pieces[0]]
    for pk, piece in zip(ids, pieces[1:], strict=True):
        out.append(str(int(pk)))
        out.append(piece)
    return "".join(out)
