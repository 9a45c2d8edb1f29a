"""HTTP routers: one module per resource, all under /api/v1 behind the API key."""

from fastapi import APIRouter, Depends

from app.api import accounts, content, personas, transactions, users
from app.api.deps import require_api_key

api_router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_api_key)])
for module in (users, accounts, transactions, personas, content):
    api_router.include_router(module.router)
