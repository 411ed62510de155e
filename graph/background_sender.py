"""One background thread that sends a writer's batches to the store, in order.

The store works while the caller prepares the next batch (parsing and writing would
otherwise take turns). At most ``depth`` batches wait, so memory stays bounded. An error
in a batch is kept, the batches after it are dropped, and the error is raised in the
caller at its next :meth:`BackgroundSender.put` or :meth:`BackgroundSender.wait`.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any


class BackgroundSender:
    """``send(job)`` for every job :meth:`put`, on one thread started at the first job."""

    def __init__(self, send: Callable[[Any], None], name: str, *, depth: int = 2) -> None:
        self._send = send
        self._name = name
        self._jobs: queue.Queue[Any] = queue.Queue(depth)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def put(self, job: Any) -> None:
        """Queue ``job`` (waits while ``depth`` jobs wait); raise an earlier job's error."""
        self.raise_if_failed()
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def wait(self) -> None:
        """Return once every job put is sent; raise a job's error."""
        self._jobs.join()
        self.raise_if_failed()

    def stop(self) -> None:
        """Stop the thread after the jobs queued; safe to call twice."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            self._thread = None

    def raise_if_failed(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._error is None:  # after a failure, drop the rest: the caller raises
                    self._send(job)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller thread
                self._error = exc
            finally:
                self._jobs.task_done()
