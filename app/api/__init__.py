"""HTTP routers: one module per resource, all under /api/v1 behind the API key
(app.api.middleware)."""

from fastapi import FastAPI

from app.api import accounts, content, insights, personas, transactions, users

API_PREFIX = "/api/v1"
# The order the resources are listed in the docs.
OPENAPI_TAGS = [
    {"name": name}
    for name in ("users", "accounts", "transactions", "personas", "insights", "content")
]


def include_api(app: FastAPI) -> None:
    """Include every resource router under /api/v1.

    Straight into the app, not through an /api/v1 router: FastAPI matches a
    request again at each level of nested routers. And transactions first:
    routes are tried in order, and its account page is the hottest read."""
    for module in (transactions, users, accounts, personas, insights, content):
        app.include_router(module.router, prefix=API_PREFIX)
