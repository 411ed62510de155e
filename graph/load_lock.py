"""One load at a time per data directory: a second one refuses with a clear message."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StoreBusyError
from .falkordb_server import prepare_data_dir

LOCK_NAME = "load.lock"


@contextmanager
def load_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's load lock, or raise :class:`StoreBusyError` at once."""
    prepare_data_dir(data_dir)
    path = data_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            raise StoreBusyError(
                f"another load is running into {data_dir} (pid {holder}); try again when it ends",
                detail={"lock": str(path), "pid": holder},
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process is killed
