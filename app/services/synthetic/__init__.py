"""Deterministic synthetic users, accounts and transactions with planted
persona patterns. Pure functions: nothing here touches the database."""

from app.services.synthetic.generator import (
    PATTERNS,
    GeneratedUser,
    SeedSpec,
    generate,
    planted_pattern,
)

__all__ = ["PATTERNS", "GeneratedUser", "SeedSpec", "generate", "planted_pattern"]
