"""/api/v1 routes for accounts."""

from fastapi import APIRouter

router = APIRouter(tags=["accounts"])
