"""Every query is a file in cypher/ with a header; every file is used; no query is built in code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conductgraph.graph.queries import CYPHER_DIR, load_query

ROOT = CYPHER_DIR.parent
CODE_DIRS = [ROOT / d for d in ("graph", "loaders", "api", "bench")]
ALL_FILES = sorted(CYPHER_DIR.rglob("*.cypher"))


def _code_files() -> list[Path]:
    return [p for d in CODE_DIRS if d.exists() for p in d.rglob("*.py")]


def _code_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in _code_files())


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(CYPHER_DIR)))
def test_every_query_file_has_a_header(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("//") and len(first) > 10, f"{path} needs a header comment"
    assert load_query(str(path.relative_to(CYPHER_DIR).with_suffix(""))).text


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(CYPHER_DIR)))
def test_every_query_file_is_used(path: Path) -> None:
    rel = path.relative_to(CYPHER_DIR).with_suffix("")
    folder, name = rel.parts[0], rel.stem
    code = _code_text()
    if folder in ("schema", "write"):
        return  # named by the schema (schema_files) and derived from it; checked in test_schema
    if folder == "queries":
        return  # the cookbook: each is run by test_cookbook.py and listed in the docs
    assert f'"{rel.as_posix()}"' in code or f'"{name}"' in code, f"cypher/{rel}.cypher is unused"


def test_cookbook_files_are_documented() -> None:
    doc = (ROOT / "docs" / "cypher-cookbook.md").read_text(encoding="utf-8")
    for path in (CYPHER_DIR / "queries").glob("*.cypher"):
        assert f"`{path.name}`" in doc, f"{path.name} missing from docs/cypher-cookbook.md"


class _QueryBuilding(ast.NodeVisitor):
    """Finds string literals that look like Cypher, also the literal parts of f-strings."""

    def __init__(self) -> None:
        self.hits: list[str] = []

    def visit_Expr(self, node: ast.Expr) -> None:
        # Docstrings may show example queries; they are never run.
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and re.search(
            r"\b(MATCH|MERGE|CREATE)\s*\(\w*(:\w+)?", node.value
        ) and not node.value.startswith(("CREATE INDEX FOR (n:", "CREATE CONSTRAINT")):
            self.hits.append(node.value)


def test_no_query_text_in_code() -> None:
    # schema_files.py renders the generated .cypher files; its templates are the exception.
    offenders = []
    for path in _code_files():
        if path.name == "schema_files.py":
            continue
        finder = _QueryBuilding()
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        offenders += [f"{path.relative_to(ROOT)}: {h[:60]!r}" for h in finder.hits]
    assert not offenders, "Cypher belongs in cypher/*.cypher files:\n" + "\n".join(offenders)


def test_the_scanner_catches_a_built_query() -> None:
    finder = _QueryBuilding()
    finder.visit(ast.parse('q = f"MATCH (p:Person {{id: \'{pid}\'}}) RETURN p"'))
    finder.visit(ast.parse('q = "MATCH (n:Message) WHERE n.text = \'" + text + "\'"'))
    finder.visit(ast.parse('def f():\n    """Example: MATCH (n:Person) RETURN n"""'))
    assert len(finder.hits) == 2
