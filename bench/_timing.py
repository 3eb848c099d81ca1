"""The timer every benchmark uses."""

from __future__ import annotations

import time


def best_of(fn, repeats: int = 5, warmup: int = 1, pause: float = 0.3) -> float:
    """Best wall time of ``repeats`` calls of ``fn()`` after ``warmup`` calls.

    Starts with a pause: OpenBLAS and OpenMP worker threads keep spinning for a while after
    their last job, and on two cores they would slow down whichever library runs next.
    """
    time.sleep(pause)
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)
