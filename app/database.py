"""Seed-story entry points, kept under their original names.

The engine, the session dependency and migrations live in app.db.
"""

from app.db import get_db, get_engine, get_session, init_db

__all__ = ["get_db", "get_engine", "get_session", "init_db"]
