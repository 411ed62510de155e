"""The ASGI app uvicorn serves (``conductgraph.api.server:app``), built from the environment's settings."""

from __future__ import annotations

from .app import create_app

app = create_app()
