"""/api/v1 routes for users."""

from fastapi import APIRouter

router = APIRouter(tags=["users"])
