"""/api/v1 routes for personas."""

from fastapi import APIRouter

router = APIRouter(tags=["personas"])
