"""HTTP routers: one module per resource, all under /api/v1 behind the API key
(app.api.middleware)."""

from fastapi import FastAPI

from app.api import (
    accounts,
    content,
    exports,
    imports,
    index,
    insights,
    personas,
    recurring,
    transactions,
    users,
)
from app.api.direct_route import DirectRoutes

API_PREFIX = "/api/v1"
# The order the resources are listed in the docs.
OPENAPI_TAGS = [
    {"name": name}
    for name in (
        "index",
        "users",
        "accounts",
        "transactions",
        "imports",
        "exports",
        "personas",
        "insights",
        "recurring",
        "content",
    )
]


RESOURCES = (
    transactions,
    users,
    accounts,
    imports,
    exports,
    personas,
    insights,
    recurring,
    content,
    index,
)


def include_api(app: FastAPI) -> None:
    """Include every resource router under /api/v1, straight into the app,
    not through an /api/v1 router: FastAPI matches a request again at each
    level of nested routers. A resource's direct routes (DirectRoutes: its
    hottest reads) come first, as routes of the app itself."""
    for module in RESOURCES:
        direct: DirectRoutes | None = getattr(module, "direct", None)
        if direct is not None:
            direct.install(app, API_PREFIX)
    for module in RESOURCES:
        app.include_router(module.router, prefix=API_PREFIX)
