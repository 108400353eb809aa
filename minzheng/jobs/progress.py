"""Progress reporters: ``progress(stage, done, total)``.

:class:`JobProgress` writes the job's stage and counts (at most about once a
second, and always when the stage changes or a stage completes) so the job
page can poll them; :class:`TerminalProgress` draws a progress bar (rich) on
a terminal and writes plain log lines otherwise. :func:`tee` sends one
report to several reporters (a command-line run updates its job record and
the terminal).

A report made inside a database transaction becomes visible to other
connections when the transaction commits (the monitoring run's matching
steps run in one transaction; the page shows the stage before it until then).
"""

from __future__ import annotations

import logging
import time
from typing import Any, TextIO

from django.utils import timezone

from minzheng.jobs.kinds import Progress
from minzheng.jobs.models import Job, JobStatus

logger = logging.getLogger("minzheng.jobs")


class JobProgress:
    def __init__(self, job_id: int, *, min_interval: float = 1.0) -> None:
        self.job_id = job_id
        self.min_interval = min_interval
        self._stage = ""
        self._last = 0.0

    def __call__(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        now = time.monotonic()
        finished_stage = done is not None and total is not None and done >= total
        if stage == self._stage and not finished_stage and now - self._last < self.min_interval:
            return
        self._stage, self._last = stage, now
        logger.info("job %s: %s %s/%s", self.job_id, stage, done, total)
        Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
            stage=stage[:100], done=done, total=total, heartbeat_at=timezone.now())


class TerminalProgress:
    """A rich progress bar on a terminal; ``HH:MM:SS stage done/total`` lines otherwise.

    Use as a context manager; :meth:`log` prints a message above the bar
    (or as a line), so an operation's own log lines do not break the bar."""

    def __init__(self, stream: TextIO, *, interactive: bool | None = None) -> None:
        self.stream = stream
        self.interactive = stream.isatty() if interactive is None else interactive
        self._bar: Any = None
        self._task: Any = None
        self._last: tuple[str, int | None, int | None] | None = None

    def __enter__(self) -> TerminalProgress:
        if self.interactive:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(file=self.stream), transient=False)
            self._bar.start()
            self._task = self._bar.add_task("开始", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __call__(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=stage, completed=done or 0, total=total)
            return
        if self._last == (stage, done, total):
            return
        self._last = (stage, done, total)
        counts = f" {done}/{total}" if done is not None and total is not None else ""
        self.stream.write(f"{time.strftime('%H:%M:%S')} {stage}{counts}\n")
        self.stream.flush()

    def log(self, message: str) -> None:
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False)
        else:
            self.stream.write(message.rstrip("\n") + "\n")
            self.stream.flush()


def tee(*reporters: Progress | None) -> Progress:
    active = [r for r in reporters if r is not None]

    def report(stage: str, done: int | None = None, total: int | None = None) -> None:
        for reporter in active:
            reporter(stage, done, total)

    return report
