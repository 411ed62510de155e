"""The FastAPI application: ``create_app()`` wires settings, store, tokens, audit, redaction,
error handlers, the routers and the web page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from conductgraph.graph.cycle_collector import serving_collections
from conductgraph.graph.settings import Settings, get_settings
from conductgraph.graph.store import GraphStore

from .audit import AuditLog
from .audit_middleware import AuditMiddleware
from .errors import install_error_handlers
from .redaction import Redactor
from .routers import analytics, cypher, groups, health, investigations, people, subgraphs
from .store_access import StoreHolder
from .tokens import TokenStore

STATIC_DIR = Path(__file__).resolve().parent / "static"
DESCRIPTION = """Query API of conductgraph: people, groups, messages, subgraphs, analytics,
investigations and read-only Cypher over one case graph.

Every endpoint but `/health` needs `Authorization: Bearer <token>` (`conductgraph token create`).
Roles: **investigator** (everything), **analyst** (everything but `/cypher`), **consumer**
(subgraphs and analytics, people pseudonymised and message text replaced by its categories).
Every failure answers `{"error": {"code", "message", "detail"}}`; every request is audited.
"""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API over ``store`` (or the store ``settings`` choose, opened on first use)."""
    if settings is None:
        settings = getattr(store, "settings", None) or get_settings()
    holder = StoreHolder(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.subgraph_turns = None  # made in this event loop on first use
        with serving_collections():
            yield
        holder.close()

    app = FastAPI(title="conductgraph", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = holder
    app.state.tokens = TokenStore(settings.data_dir)
    app.state.redactor = Redactor(settings.data_dir)
    app.state.audit = AuditLog(settings.data_dir)
    install_error_handlers(app)
    app.add_middleware(AuditMiddleware, log=app.state.audit)

    app.include_router(health.health_router)
    app.include_router(health.stats_router)
    for module in (people, subgraphs, groups, analytics, investigations, cypher):
        app.include_router(module.router)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        """The investigator's web page (static; it logs in with a token itself)."""
        return FileResponse(STATIC_DIR / "index.html")

    return app
