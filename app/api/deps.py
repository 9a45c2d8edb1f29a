"""Dependencies shared by the routers: the session and API-key auth."""

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import get_settings
from app.db import get_session

SessionDep = Annotated[AsyncSession, Depends(get_session)]

_bearer = HTTPBearer(auto_error=False, description="SPENDSENSE_API_KEY, when one is configured")


async def require_api_key(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """401 unless the request carries the configured key (no key configured = open)."""
    key = get_settings().spendsense_api_key
    if key is None or not key.get_secret_value():
        return
    sent = credentials.credentials if credentials else ""
    if not secrets.compare_digest(sent.encode(), key.get_secret_value().encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing or invalid API key",
            headers={"WWW-Authenticate": "Bearer"},
        )
