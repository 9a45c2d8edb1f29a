"""Python's cyclic garbage collector paused around a big import or bulk load.

Reading a 100,000-line statement keeps every line alive until it is
written: the automatic collector, triggered by those allocations, ran
hundreds of young passes and several full ones that traversed every line
and the whole app again, about a sixth of the import's CPU time, to find
no garbage (the lines are alive); a bulk load's 10,000 items, read into
columns, likewise. Paused for the import or the load, it runs again
afterwards as usual. Nothing is leaked: reference counting frees what is
not in a cycle as before, and cycles made meanwhile are collected later.

The collector is one per process: imports that overlap (threads, or
requests on one event loop) share one pause, counted, and the last to end
resumes it; a collector someone else had turned off stays off.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_paused_by_us = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _holders, _paused_by_us
    with _lock:
        if _holders == 0 and gc.isenabled():
            gc.disable()
            _paused_by_us = True
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _paused_by_us:
                _paused_by_us = False
                gc.enable()
