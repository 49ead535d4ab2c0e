"""A progress bar for the slow things a command may do: rebuild the catalogue or the search index of a big store.

The bar goes to standard error, only when it is a terminal, and appears only
once the work has lasted :data:`SHOW_AFTER_SECONDS`: a rebuild that finishes
sooner shows nothing, and Rich is imported only by one that does not.
"""

from __future__ import annotations

import sys
import time
from contextlib import AbstractContextManager, nullcontext
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from territoria_cli.catalogue import Progress as Reporter

SHOW_AFTER_SECONDS = 1.0


def on_terminal(amount: int, task: str) -> AbstractContextManager[Reporter]:
    """A :data:`territoria_cli.catalogue.ProgressFactory` drawing on standard error if it is a terminal."""
    from territoria_cli.catalogue import INDEXING

    try:
        terminal = sys.stderr.isatty()
    except (ValueError, AttributeError):
        terminal = False
    if not terminal:
        return nullcontext(_silent)
    from territoria_cli.i18n import _, language
    from territoria_cli.views import grouped

    if task == INDEXING:
        return _DelayedBar(_("Indexing {count} awards for search").format(count=grouped(amount, language())))
    return _DelayedBar(_("Reading the store ({size} MB) into territoria's cache").format(size=f"{amount / 1e6:.0f}"))


def _silent(fraction: float) -> None:
    """Nobody at a terminal to tell."""


class _DelayedBar:
    """A transient Rich bar that starts only after :data:`SHOW_AFTER_SECONDS`."""

    def __init__(self, description: str) -> None:
        self.description = description
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Reporter:
        return self.report

    def report(self, fraction: float) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < SHOW_AFTER_SECONDS:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=1.0)
        self.bar.update(self.task, completed=fraction)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.bar is not None:
            self.bar.stop()
