"""The seed story's names for the database entry points (get_db, init_db);
they live in app.db, and this module only keeps them findable by those names."""

from app.db import Database, get_db, get_session, init_db, make_engine, open_session

__all__ = ["Database", "get_db", "get_session", "init_db", "make_engine", "open_session"]
