"""Who may call what: bearer tokens checked against the token store, roles mapped to scopes.

Every router declares one scope; :class:`Authorize` is its dependency. A missing or
unknown token is 401, a role without the scope 403. ``/health`` has no scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from conductgraph.graph.errors import AuthError, ForbiddenError

from .tokens import TokenStore

# Scopes a router may require.
BROWSE = "browse"  # people, groups, messages, investigations, recommendations, stats
SUBGRAPH = "subgraph"
ANALYTICS = "analytics"
CYPHER = "cypher"
SCOPES = (BROWSE, SUBGRAPH, ANALYTICS, CYPHER)

ROLE_SCOPES: dict[str, frozenset[str]] = {
    "investigator": frozenset(SCOPES),
    "analyst": frozenset({BROWSE, SUBGRAPH, ANALYTICS}),
    "consumer": frozenset({SUBGRAPH, ANALYTICS}),
}
# Roles whose every response passes through the redaction (see redaction.py).
REDACTED_ROLES = frozenset({"consumer"})

bearer = HTTPBearer(auto_error=False, description="A token from `conductgraph token create`.")


@dataclass(frozen=True)
class Principal:
    token_id: str
    role: str
    name: str

    @property
    def redacted(self) -> bool:
        return self.role in REDACTED_ROLES


def roles_with(scope: str) -> list[str]:
    return [role for role, scopes in ROLE_SCOPES.items() if scope in scopes]


class Authorize:
    """Dependency: the caller's :class:`Principal`, when its role has ``scope``."""

    def __init__(self, scope: str) -> None:
        assert scope in SCOPES, scope
        self.scope = scope

    async def __call__(self, request: Request, credentials: Annotated[
            HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
        if credentials is None:
            raise AuthError("a bearer token is required (Authorization: Bearer <token>)")
        tokens: TokenStore = request.app.state.tokens
        record = tokens.check(credentials.credentials)
        if record is None:
            raise AuthError("the token is unknown or revoked")
        principal = Principal(record.id, record.role, record.name)
        request.state.principal = principal
        if self.scope not in ROLE_SCOPES[record.role]:
            raise ForbiddenError(f"the {record.role} role may not use this endpoint",
                                 detail={"role": record.role, "scope": self.scope})
        return principal
