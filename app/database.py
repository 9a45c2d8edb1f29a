"""The seed story's names for the database entry points (get_db, init_db);
they live in app.db, and this module only keeps them findable by those names."""

from app.db import get_db, get_engine, get_session, init_db

__all__ = ["get_db", "get_engine", "get_session", "init_db"]
