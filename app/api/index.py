"""GET /api/v1: the index of the API's collections, so that the "api" link
of GET / leads somewhere. Behind the API key like every /api/v1 route."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

router = APIRouter(tags=["index"])


class Collection(BaseModel):
    name: str = Field(description="The resource, as the tags of the docs name it")
    href: str = Field(description="Where to list or create it: a URI template, {x} to fill in")
    description: str


class APIIndex(BaseModel):
    """The body of GET /api/v1."""

    version: str = Field(description="The API version of this prefix")
    collections: list[Collection]
    docs: str = Field(description="The interactive documentation (Swagger UI)")
    openapi: str = Field(description="The OpenAPI document")


def _index(prefix: str) -> APIIndex:
    def at(path: str, name: str, description: str) -> Collection:
        return Collection(name=name, href=prefix + path, description=description)

    return APIIndex(
        version=prefix.rsplit("/", 1)[-1],
        collections=[
            at("/users", "users", "Users, newest first; POST creates one"),
            at("/users/{user_id}/accounts", "accounts", "A user's bank and card accounts"),
            at("/transactions", "transactions", "Transactions, filtered by account, user, dates"),
            at("/users/{user_id}/personas", "personas", "A user's persona assignments"),
            at("/users/{user_id}/recommendations", "insights", "Content picked for a user"),
            at("/users/{user_id}/recurring", "recurring", "A user's recurring streams"),
            at("/content", "content", "The educational content catalog"),
        ],
        docs="/docs",
        openapi="/openapi.json",
    )


@router.get("", name="index", response_model=APIIndex)
async def api_index() -> APIIndex:
    """The collections of the API, each with the path to list or create it
    (a URI template where it belongs to a user)."""
    from app.api import API_PREFIX  # here: app.api imports this module first

    return _index(API_PREFIX)
