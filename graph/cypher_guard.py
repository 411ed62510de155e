"""A first, engine-independent check that a user's Cypher only reads.

The engines are the real guard (FalkorDB ``GRAPH.RO_QUERY``, a Neo4j read
transaction); this check refuses the obvious before a query reaches them, with the
same :class:`ReadOnlyError`, and refuses what a read-only engine would still do:
``LOAD CSV`` reads files on the database server. It looks at the text with string
literals, comments and backquoted names blanked out, so ``cReAtE``, ``/* */`` tricks
and a second statement after ``;`` are seen, while ``n.created`` or ``'MERGE'`` in a
string are not mistaken for clauses.
"""

from __future__ import annotations

import re

from .errors import ReadOnlyError

_LITERALS = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?(?:\*/|$)""", re.DOTALL)
# Clause keywords that write, not preceded by a dot (a property) or followed by a colon (a map key).
_WRITES = re.compile(
    r"(?<![.\w$])(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|FOREACH|LOAD\s+CSV|"
    r"TERMINATE|GRANT|REVOKE|DENY|ALTER|RENAME)(?![\w:])",
    re.IGNORECASE,
)
# Procedures that write or administer, by name prefix (both engines).
_WRITING_PROCEDURES = re.compile(
    r"(?<![.\w$])CALL\s+(db\.idx\.|db\.create|db\.drop|dbms\.|apoc\.(?!meta\.)|gds\.|algo\.write|"
    r"db\.clear|db\.index\.fulltext\.create|db\.constraints?\.)",
    re.IGNORECASE,
)


def blank_literals(text: str) -> str:
    """``text`` with string literals, comments and backquoted names replaced by spaces."""
    return _LITERALS.sub(lambda m: " " * len(m.group(0)), text)


def check_read_only(text: str) -> None:
    """Raise :class:`ReadOnlyError` when ``text`` writes, loads files or calls a writing procedure."""
    code = blank_literals(text)
    match = _WRITES.search(code) or _WRITING_PROCEDURES.search(code)
    if match:
        clause = " ".join(match.group(0).split()).upper()
        raise ReadOnlyError(
            f"only read-only queries are allowed; found {clause}",
            detail={"clause": clause, "position": _position(text, match.start())},
        )


def _position(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return {"line": line, "column": column, "offset": offset}
