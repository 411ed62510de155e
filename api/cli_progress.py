"""Rich progress bars for long work; silent with ``--quiet``."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


class RichProgress:
    """Implements :class:`conductgraph.graph.loading.Progress` with one bar per file."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
            MofNCompleteColumn(), TextColumn("lines"), TimeElapsedColumn(),
            console=console, transient=False,
        )
        self._task: object | None = None

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._progress.stop()

    def start(self, label: str, total: int | None) -> None:
        self._task = self._progress.add_task(label, total=total)

    def advance(self, done: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, done)  # type: ignore[arg-type]

    def finish(self) -> None:
        if self._task is not None:
            task = self._task
            total = self._progress.tasks[-1].total
            if total is not None:
                self._progress.update(task, completed=total)  # type: ignore[arg-type]
            self._task = None
