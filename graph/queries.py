"""Every Cypher query the project runs is a file in ``cypher/``; this module reads them.

Query text never comes from concatenating values: callers name a file and pass
parameters. A test fails when a file is unused or a query string is built in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import NotFoundError

# Both in the source tree and in an installed wheel, cypher/ sits beside graph/.
CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    header: str

    @property
    def is_write(self) -> bool:
        return self.name.startswith(("write/", "derive/")) or self.name.startswith("schema/")


def _split_header(text: str) -> tuple[str, str]:
    header: list[str] = []
    body: list[str] = []
    for line in text.splitlines():
        if not body and line.startswith("//"):
            header.append(line[2:].strip())
        else:
            body.append(line)
    return "\n".join(header), "\n".join(body).strip()


@cache
def load_query(name: str) -> Query:
    """The query in ``cypher/<name>.cypher``, e.g. ``load_query("read/stats_labels")``."""
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.is_file():
        raise NotFoundError(f"no query file cypher/{name}.cypher", detail={"query": name})
    header, body = _split_header(path.read_text(encoding="utf-8"))
    return Query(name=name, text=body, header=header)


def query_names(folder: str) -> list[str]:
    """Names of the query files in ``cypher/<folder>/``, sorted."""
    return sorted(
        f"{folder}/{p.stem}" for p in (CYPHER_DIR / folder).glob("*.cypher") if p.is_file()
    )


def schema_statements(backend: str) -> list[str]:
    """The DDL statements of ``cypher/schema/<backend>.cypher``, one per line."""
    text = load_query(f"schema/{backend}").text
    lines = (s.strip() for s in text.splitlines())
    return [s.rstrip(";") for s in lines if s and not s.startswith("//")]
