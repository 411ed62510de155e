"""The API's one store per process: opened on first use, dropped and reopened after a failure.

When the embedded store stops (``conductgraph db stop``, a crash, a restart), calls fail
with :class:`StoreUnavailableError` (503 to the client); the holder forgets the broken
connection and the next request tries to open a fresh one, so the API recovers by
itself once the store is back. Only the first open starts the embedded server: after
that the API waits for whoever restarts it rather than fighting a deliberate stop.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from conductgraph.graph.errors import StoreUnavailableError
from conductgraph.graph.settings import Settings
from conductgraph.graph.store import GraphStore, open_store

T = TypeVar("T")


class StoreHolder:
    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self.settings = settings
        self._store: GraphStore | None = store
        self._started = store is not None
        # A store handed in belongs to the caller (tests): never close it.
        self._given = store
        self._lock = threading.Lock()

    def get(self) -> GraphStore:
        with self._lock:
            store = self._store
            if store is None:
                if self._started and not self.socket_accepts():
                    raise StoreUnavailableError("the embedded FalkorDB store is not running",
                                                detail={"socket": str(self.settings.socket_path)})
                store = open_store(self.settings, start=not self._started)
                self._started = True
                self._store = store
            return store

    def socket_accepts(self) -> bool:
        """For the embedded store, whether its socket takes a connection — answered at once, where
        the client would retry for seconds. Always true for Neo4j (its driver decides)."""
        if self.settings.backend != "falkordb":
            return True
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        probe.settimeout(0.5)
        try:
            probe.connect(str(self.settings.socket_path.resolve()))
            return True
        except OSError:
            return False
        finally:
            probe.close()

    def run(self, work: Callable[[GraphStore], T]) -> T:
        """``work(store)``; a store failure drops the connection so the next call reconnects."""
        store = self.get()
        try:
            return work(store)
        except StoreUnavailableError:
            self.forget(store)
            raise

    def forget(self, store: GraphStore) -> None:
        # Only dropped, not closed: other requests may still be using it, and closing a client
        # under them turns their clean 503 into an I/O error on a closed socket.
        with self._lock:
            if self._store is store:
                self._store = None

    def close(self) -> None:
        with self._lock:
            store = self._store
            if store is not None and store is not self._given:
                store.close()
            self._store = None


def describe(holder: StoreHolder) -> dict[str, Any]:
    """``{backend, reachable}`` without raising: what ``/health`` reports."""
    try:
        store = holder.get()
    except StoreUnavailableError:
        return {"backend": holder.settings.backend, "reachable": False}
    reachable = holder.socket_accepts() and store.ping()
    if not reachable:
        holder.forget(store)
    return {"backend": holder.settings.backend, "reachable": reachable}
