"""One exception hierarchy for the whole project.

Every boundary turns these into one error shape: the CLI prints ``Error: …`` and
exits with :attr:`ConductGraphError.exit_code`; the HTTP API answers
``{"error": {"code", "message", "detail"}}`` with :attr:`ConductGraphError.http_status`.
"""

from __future__ import annotations

from typing import Any


class ConductGraphError(Exception):
    """Base class: ``code`` is a stable machine name, ``detail`` optional structured data."""

    code = "error"
    http_status = 500
    exit_code = 1

    def __init__(self, message: str, *, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class InputError(ConductGraphError):
    """Input the user gave is wrong: a file, a field, a parameter. Names the place."""

    code = "invalid_input"
    http_status = 422
    exit_code = 2


class CaseFileError(InputError):
    """A case file failed validation; ``detail`` lists ``{"file", "field", "message"}``."""

    code = "invalid_case_file"


class UnknownFormatError(InputError):
    """A file is in no format any loader reads."""

    code = "unknown_format"


class NotFoundError(ConductGraphError):
    code = "not_found"
    http_status = 404
    exit_code = 1


class QueryError(ConductGraphError):
    """The graph engine refused a query (syntax, semantics); message is the engine's."""

    code = "query_error"
    http_status = 400
    exit_code = 2


class ReadOnlyError(QueryError):
    """A write was attempted where only reads are allowed."""

    code = "read_only"
    http_status = 403


class QueryTimeoutError(QueryError):
    code = "query_timeout"
    http_status = 408


class StoreUnavailableError(ConductGraphError):
    """The store cannot be reached or started."""

    code = "store_unavailable"
    http_status = 503
    exit_code = 1


class StoreBusyError(StoreUnavailableError):
    """Another process holds the load lock of this data directory."""

    code = "store_busy"
    http_status = 409


class AuthError(ConductGraphError):
    code = "unauthorized"
    http_status = 401
    exit_code = 2


class ForbiddenError(ConductGraphError):
    code = "forbidden"
    http_status = 403
    exit_code = 2
