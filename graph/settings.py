"""The one settings object shared by the CLI and the API.

Every setting has an environment variable, a default and help text
(``conductgraph settings`` prints them all).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(user_data_dir("conductgraph", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONDUCTGRAPH_", extra="ignore")

    backend: Literal["falkordb", "neo4j"] = Field(
        "falkordb",
        description="Graph store: the embedded FalkorDB (default) or a Neo4j server.",
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Directory of the embedded store, its socket, tokens and the audit log.",
    )
    graph_name: str = Field("conductgraph", description="Name of the graph in FalkorDB.")
    batch_size: int = Field(5000, ge=1, description="Rows per UNWIND write batch.")
    bulk_load: bool = Field(
        True,
        description=("Load into an empty FalkorDB graph with GRAPH.BULK (binary, no Cypher) "
                     "before switching to MERGE batches; off: MERGE batches only."),
    )
    bulk_batch_size: int = Field(
        50_000, ge=1,
        description="Records per GRAPH.BULK command (each command costs the store a fixed pass).",
    )
    bulk_max_ids: int = Field(
        2_000_000, ge=1,
        description=("Most nodes and relationships a bulk load keeps ids of (about 250 bytes "
                     "each) before it goes on with MERGE batches."),
    )
    query_timeout_ms: int = Field(
        10_000, ge=1, description="Time limit of read-only Cypher from users (ms)."
    )
    query_row_limit: int = Field(
        10_000, ge=1, description="Most rows a user's read-only Cypher query returns."
    )
    default_timezone: str = Field(
        "Europe/London", description="Time zone of a chat export when the case file names none."
    )
    neo4j_uri: str | None = Field(
        None,
        validation_alias=AliasChoices("NEO4J_URI", "CONDUCTGRAPH_NEO4J_URI"),
        description="Neo4j URI (bolt://, neo4j://, neo4j+s://); env NEO4J_URI.",
    )
    neo4j_user: str = Field(
        "neo4j",
        validation_alias=AliasChoices("NEO4J_USER", "CONDUCTGRAPH_NEO4J_USER"),
        description="Neo4j user; env NEO4J_USER.",
    )
    neo4j_password: SecretStr = Field(
        SecretStr(""),
        validation_alias=AliasChoices("NEO4J_PASSWORD", "CONDUCTGRAPH_NEO4J_PASSWORD"),
        description="Neo4j password; env NEO4J_PASSWORD.",
    )
    neo4j_database: str = Field(
        "neo4j",
        validation_alias=AliasChoices("NEO4J_DATABASE", "CONDUCTGRAPH_NEO4J_DATABASE"),
        description="Neo4j database name; env NEO4J_DATABASE.",
    )
    api_host: str = Field("127.0.0.1", description="Address `conductgraph serve` listens on.")
    api_port: int = Field(8765, description="Port `conductgraph serve` listens on.")
    api_pin_workers: bool = Field(
        False, description="`conductgraph serve` keeps each worker process on one CPU of its own "
        "(Linux; for a machine that serves the API and its store only)."
    )
    api_balance_connections: bool = Field(
        True, description="With several workers, `conductgraph serve` gives each new connection "
        "to the worker holding the fewest (least connections), not to whichever wakes first."
    )
    api_subgraph_concurrency: int = Field(
        2, ge=1, description="Subgraph requests one API worker process computes at once; the rest "
        "wait their turn, first come, first served (two keep a worker's core busy)."
    )
    api_max_page_size: int = Field(500, ge=1, description="Largest page a list endpoint returns.")
    api_default_page_size: int = Field(
        50, ge=1, description="Page size of a list endpoint when none is asked."
    )
    api_max_subgraph_nodes: int = Field(
        2000, ge=1, description="Most nodes a subgraph endpoint returns (`limit` may ask for fewer)."
    )

    @property
    def socket_path(self) -> Path:
        return self.data_dir / "falkordb.sock"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()


def env_var_of(name: str) -> str:
    """The environment variable that sets field ``name``."""
    field = Settings.model_fields[name]
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"CONDUCTGRAPH_{name.upper()}"
