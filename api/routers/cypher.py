"""``POST /cypher``: an investigator's read-only Cypher, with the settings' time and row limits."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import Body, Request
from pydantic import BaseModel, Field

from conductgraph.graph.user_cypher import run_user_cypher

from ..auth import CYPHER
from ..responses import DataResponse
from .common import make_router, with_store

router = make_router(CYPHER, tags=["cypher"])


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=100_000, description="One read-only Cypher statement.")
    params: dict[str, Any] = Field(default_factory=dict, description="Query parameters ($name).")


@router.post("/cypher")
def cypher(request: Request, body: Annotated[CypherRequest, Body()]) -> DataResponse:
    """Run one read-only statement. Writes are refused (403 `read_only`); engine errors are
    400 with the engine's message and position; `truncated` says the row limit cut the result."""
    request.state.audit = {"query": body.query, "query_params": body.params}
    started = time.perf_counter()
    settings = request.app.state.settings
    result = with_store(request, lambda s: run_user_cypher(
        s, body.query, body.params, timeout_ms=settings.query_timeout_ms, row_limit=settings.query_row_limit))
    return DataResponse({
        "columns": result.columns,
        "rows": result.rows,
        "truncated": result.truncated,
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
    })
