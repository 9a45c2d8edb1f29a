"""DirectRoute (app.api.direct_route): FastAPI calls the endpoint with the
converted path parameters and the Request, documents it from its
signature, and the app's exception handlers still answer what it raises;
an endpoint that needs FastAPI's parameter solving is refused at import."""

from typing import Any

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient

from app.api import API_PREFIX
from app.api.direct_route import DirectRoute
from app.main import app as service_app


class Refused(Exception):
    pass


def direct_app() -> FastAPI:
    app = FastAPI()

    async def echo(item_id: int, request: Request) -> Response:
        if item_id == 0:
            raise Refused
        body = f"{item_id!r} {type(item_id).__name__} {request.query_params.get('q')}"
        return Response(body, media_type="text/plain")

    app.router.add_api_route(
        "/items/{item_id:int}", echo, methods=["GET"], route_class_override=DirectRoute
    )

    async def refused(_request: Request, _exc: Exception) -> Response:
        return Response("refused", status_code=409)

    app.add_exception_handler(Refused, refused)
    return app


def test_the_endpoint_gets_converted_path_parameters_and_the_request() -> None:
    with TestClient(direct_app()) as client:
        response = client.get("/items/42?q=x")
    assert response.status_code == 200
    assert response.text == "42 int x"


def test_what_the_endpoint_raises_goes_to_the_apps_exception_handlers() -> None:
    with TestClient(direct_app()) as client:
        response = client.get("/items/0")
    assert (response.status_code, response.text) == (409, "refused")


def test_the_route_is_documented_from_the_signature() -> None:
    operation = direct_app().openapi()["paths"]["/items/{item_id}"]["get"]
    assert [(p["name"], p["in"], p["schema"]["type"]) for p in operation["parameters"]] == [
        ("item_id", "path", "integer")
    ]


async def takes_a_query_parameter(item_id: str, request: Request, q: str) -> Response:
    return Response()


async def takes_no_request(item_id: str) -> Response:
    return Response()


def not_async(item_id: str, request: Request) -> Response:
    return Response()


@pytest.mark.parametrize(
    "endpoint",
    [takes_a_query_parameter, takes_no_request, not_async],
    ids=["query parameter", "no request", "not async"],
)
def test_an_endpoint_that_needs_fastapis_handler_is_refused(endpoint: Any) -> None:
    with pytest.raises(TypeError, match="DirectRoute /items/"):
        DirectRoute("/items/{item_id}", endpoint, methods=["GET"])


def test_the_account_page_is_a_direct_route_of_the_app_itself_tried_first() -> None:
    """Where the hottest read's speed comes from (bench/read.py): a route of
    the app itself, not of an included router, and no API route before it."""
    routes = service_app.router.routes
    index = next(i for i, route in enumerate(routes) if isinstance(route, DirectRoute))
    page = routes[index]
    assert isinstance(page, DirectRoute)
    assert (page.path, page.methods) == (
        f"{API_PREFIX}/accounts/{{account_id}}/transactions",
        {"GET"},
    )
    ahead = [getattr(route, "path", "an included router") for route in routes[:index]]
    assert not [path for path in ahead if not path.startswith("/openapi")], ahead
