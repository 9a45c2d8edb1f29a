"""/api/v1 routes for transactions."""

from fastapi import APIRouter

router = APIRouter(tags=["transactions"])
