"""HTTP routers: one module per resource, all under /api/v1 behind the API key
(app.api.middleware)."""

from fastapi import FastAPI

from app.api import accounts, content, index, insights, personas, transactions, users

API_PREFIX = "/api/v1"
# The order the resources are listed in the docs.
OPENAPI_TAGS = [
    {"name": name}
    for name in ("index", "users", "accounts", "transactions", "personas", "insights", "content")
]


def include_api(app: FastAPI) -> None:
    """Include every resource router under /api/v1.

    Straight into the app, not through an /api/v1 router: FastAPI matches a
    request again at each level of nested routers. And the account page of
    transactions first, as a route of the app itself: routes are tried in
    order, and it is the hottest read."""
    transactions.add_account_page_route(app, API_PREFIX)
    for module in (transactions, users, accounts, personas, insights, content, index):
        app.include_router(module.router, prefix=API_PREFIX)
