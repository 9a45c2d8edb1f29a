"""Builds the FastAPI application: routers, middleware, docs, lifespan."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI

from app.api import API_PREFIX, OPENAPI_TAGS, include_api
from app.api.docs import install_docs
from app.api.errors import install_error_handlers
from app.api.health import router as health_router
from app.api.middleware import install_middleware
from app.api.openapi import install_openapi, operation_id
from app.config import get_settings
from app.console import install_console
from app.db import Database, release_database
from app.startup_errors import one_line_errors

log = logging.getLogger("app")
# The one place the version is written is pyproject.toml.
VERSION = version("spendsense-data")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The app's database lives from start to shutdown in `app.state`
    (app.db.Database); the settings are read again at each start."""
    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper())
    if settings.spendsense_api_key is None or not settings.spendsense_api_key.get_secret_value():
        log.warning("SPENDSENSE_API_KEY is not set: the /api/v1 routes are open to anyone")
    app.state.database = Database()
    try:
        yield
    finally:
        await release_database(app)


def create_app() -> FastAPI:
    app = FastAPI(
        title="SpendSense data service",
        version=VERSION,
        summary="Users, accounts, transactions, personas and content for SpendSense.",
        lifespan=lifespan,
        openapi_tags=[*OPENAPI_TAGS, {"name": "health"}],
        docs_url=None,  # served from local assets by install_docs
        redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    install_middleware(app, API_PREFIX)
    install_error_handlers(app)
    include_api(app)  # first: routes are tried in order, and the API is what gets called
    install_docs(app)
    install_console(app)
    app.include_router(health_router)
    install_openapi(app, API_PREFIX)
    return app


# A bad setting stops `uvicorn app.main:app` here with one line, not a traceback.
with one_line_errors():
    app = create_app()
