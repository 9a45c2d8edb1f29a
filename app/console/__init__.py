"""The operator console: a user's money, persona, reasons, streams and
recommendations in a browser, at /console (docs/console.md). Server-rendered
templates, SVG charts drawn on the server, one local style sheet: it works
with no internet and needs no build step."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.config import ROOT_DIR
from app.console.routes import router

STATIC_DIR = ROOT_DIR / "app" / "console" / "static"


def install_console(app: FastAPI) -> None:
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    app.include_router(router)
