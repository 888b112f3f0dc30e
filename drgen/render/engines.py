"""Per-engine facts the database templates need (ports, log types, default sizes)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineFacts:
    engine: str  # as AWS names it: aurora-postgresql, postgres, ...
    port: int
    log_exports: tuple[str, ...]  # CloudWatch Logs exports the engine supports
    instance_class: str  # default size; Aurora global databases need memory-optimized classes


_FACTS = {
    "aurora-postgresql": EngineFacts("aurora-postgresql", 5432, ("postgresql",), "db.r6g.large"),
    "aurora-mysql": EngineFacts(
        "aurora-mysql", 3306, ("audit", "error", "general", "slowquery"), "db.r6g.large"
    ),
    "postgres": EngineFacts("postgres", 5432, ("postgresql", "upgrade"), "db.m6g.large"),
    "mysql": EngineFacts("mysql", 3306, ("error", "general", "slowquery"), "db.m6g.large"),
    "mariadb": EngineFacts("mariadb", 3306, ("error", "general", "slowquery"), "db.m6g.large"),
}


def engine_facts(engine: str) -> EngineFacts:
    """Facts for a schema-valid engine name (the schema restricts the set)."""
    return _FACTS[engine]
