"""Deterministic synthetic users, accounts and transactions with planted
persona patterns (one per registered persona, planted as its registry entry
says). Pure functions: nothing here touches the database."""

from app.services.synthetic.generator import GeneratedUser, SeedSpec, generate, planted_pattern

__all__ = ["GeneratedUser", "SeedSpec", "generate", "planted_pattern"]
