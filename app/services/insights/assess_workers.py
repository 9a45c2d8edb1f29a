"""`spendsense assess --workers N`: the batch assessment (assess.assess_all)
over N processes, each with its own engine and a contiguous range of user
ids (user_ranges.split), so that N cores compute at once.

Each worker reads its own users in parallel with the others. Writes go
through Backend.begin_write: on SQLite one process writes at a time (each
waits its turn up to the busy timeout instead of failing with "database is
locked"), on PostgreSQL they write side by side. The workers report progress
through a queue, which the parent turns into one progress bar; a worker's
failure ends the run with that worker's error after the others stop.
"""

import asyncio
import multiprocessing
import queue
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from multiprocessing.process import BaseProcess
from typing import Any

from app.db import make_engine, open_session
from app.services.insights.assess import AssessReport, assess_all
from app.services.insights.user_ranges import UserRange, split

# Forked on Linux: a spawned worker would import the whole app again (more
# than a second each). The parent forks before it opens an engine or starts
# a thread; the child runs an event loop and an engine of its own.
_CONTEXT: Any = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
_POLL_SECONDS = 0.2


class WorkerFailed(RuntimeError):
    """A worker process ended without finishing its range."""


@dataclass(frozen=True, slots=True)
class Job:
    """What every worker runs, besides its range."""

    url: str
    as_of: date
    user_ids: Sequence[str] | None = None
    changed_only: bool = False
    streams: bool = False


def _work(job: Job, index: int, span: UserRange, messages: Any) -> None:
    """A worker process: assess the users of `span` with an engine of its own."""

    async def run() -> AssessReport:
        engine = make_engine(job.url)
        try:
            return await assess_all(
                engine,
                job.as_of,
                job.user_ids,
                span=span,
                changed_only=job.changed_only,
                streams=job.streams,
                on_batch=lambda done, total: messages.put(("progress", index, done, total)),
            )
        finally:
            await engine.dispose()

    try:
        messages.put(("done", index, asyncio.run(run())))
    except BaseException as error:  # reported to the parent, which fails the run
        messages.put(("failed", index, f"{type(error).__name__}: {error}"))
        raise


async def plan(job: Job, workers: int) -> list[UserRange]:
    """The ranges of the workers (fewer than `workers` when users are few)."""
    engine = make_engine(job.url)
    try:
        async with open_session(engine) as session:
            return await split(session, workers, job.user_ids)
    finally:
        await engine.dispose()


class Workers:
    """Worker processes at work on one job (start_workers); `wait` collects them."""

    def __init__(self, processes: list[BaseProcess], messages: Any, started: float) -> None:
        self.processes = processes
        self.messages = messages
        self.started = started

    def wait(self, on_progress: Callable[[int, int], None] | None = None) -> AssessReport:
        """Add up the workers' reports once all are done; `on_progress(done,
        total)` over all workers meanwhile. Raises WorkerFailed when a worker
        fails (what the others wrote stays: a rerun writes newer rows)."""
        progress: dict[int, tuple[int, int]] = {}
        reports: dict[int, AssessReport] = {}
        try:
            while len(reports) < len(self.processes):
                try:
                    kind, index, *payload = self.messages.get(timeout=_POLL_SECONDS)
                except queue.Empty:
                    _check_alive(self.processes, reports)
                    continue
                if kind == "failed":
                    raise WorkerFailed(f"worker {index + 1} of {len(self.processes)}: {payload[0]}")
                if kind == "done":
                    reports[index] = payload[0]
                else:
                    progress[index] = (payload[0], payload[1])
                    if on_progress is not None:
                        done = sum(d for d, _ in progress.values())
                        on_progress(done, sum(t for _, t in progress.values()))
        finally:
            for process in self.processes:
                if process.is_alive() and len(reports) < len(self.processes):
                    process.terminate()
                process.join()
        report = AssessReport()
        for index in sorted(reports):
            report.add(reports[index])
        report.seconds = time.perf_counter() - self.started
        return report


def start_workers(job: Job, workers: int) -> Workers:
    """Split the users into `workers` ranges and start a process on each.
    Call it before starting any thread (a progress bar's): on Linux the
    workers are forked, which copies only the calling thread."""
    started = time.perf_counter()
    spans = asyncio.run(plan(job, workers))
    messages = _CONTEXT.Queue()
    processes: list[BaseProcess] = [
        _CONTEXT.Process(target=_work, args=(job, index, span, messages), daemon=True)
        for index, span in enumerate(spans)
    ]
    for process in processes:
        process.start()
    return Workers(processes, messages, started)


def assess_in_processes(
    job: Job, workers: int, on_progress: Callable[[int, int], None] | None = None
) -> AssessReport:
    """The assessment of `job` in `workers` processes (start_workers, wait)."""
    return start_workers(job, workers).wait(on_progress)


def _check_alive(processes: Sequence[BaseProcess], reports: dict[int, AssessReport]) -> None:
    for index, process in enumerate(processes):
        if index not in reports and process.exitcode not in (None, 0):
            raise WorkerFailed(
                f"worker {index + 1} of {len(processes)} exited with code {process.exitcode}"
            )
