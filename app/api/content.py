"""/api/v1 routes for content."""

from fastapi import APIRouter

router = APIRouter(tags=["content"])
