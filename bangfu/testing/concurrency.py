"""Real concurrency in tests: start attempts at the same moment, each thread on its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def race(attempts: list[Callable[[], Any]], timeout: float = 60) -> list[object]:
    """Run the attempts in threads released together by a barrier; return each one's result or the
    exception it raised (a refused attempt is an outcome to assert, not an error of the test)."""
    barrier = threading.Barrier(len(attempts))
    results: list[object] = [None] * len(attempts)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = attempts[i]()
        except Exception as exc:  # collected and asserted by the caller
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return results
