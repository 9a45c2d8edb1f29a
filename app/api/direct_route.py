"""DirectRoute: a route whose endpoint FastAPI calls without solving its
parameters on each request.

FastAPI's request handler costs about 8 µs a request even for an endpoint
that takes only a path parameter and the Request (it solves the dependant,
opens exit stacks, checks the return against the response model): a sixth
of the framework's share of the hottest read (bench/README.md, reads). An
endpoint that takes exactly its path parameters and
the Request, and returns a Response, needs none of that: DirectRoute calls
it with `request.path_params`, which Starlette has already converted. FastAPI
still documents the route from its signature, the app's exception handlers
still answer what it raises, and the middlewares run as for any route.
"""

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute


class DirectRoute(APIRoute):
    """Use with `route_class_override=DirectRoute` (APIRouter.add_api_route)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        parameters = inspect.signature(endpoint).parameters
        path_params = {param.name for param in self.dependant.path_params}
        expected = {*path_params, "request"}
        if set(parameters) != expected or parameters["request"].annotation is not Request:
            raise TypeError(
                f"DirectRoute {path}: the endpoint must take exactly its path parameters "
                f"and `request: Request`, not {sorted(parameters)}"
            )
        if not inspect.iscoroutinefunction(endpoint):
            raise TypeError(f"DirectRoute {path}: the endpoint must be `async def`")

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint = self.endpoint

        async def handler(request: Request) -> Response:
            response: Response = await endpoint(request=request, **request.path_params)
            return response

        return handler


class DirectRoutes:
    """A resource's direct routes, declared next to its router
    (`direct = DirectRoutes()`, `@direct.get(path, ...)`) and added by
    `install` straight into the app's own routes, ahead of every included
    router: an included router matches a request once to pick itself and
    again to pick its route (about 9 µs a request)."""

    def __init__(self, **defaults: Any) -> None:
        self.defaults = defaults
        self.routes: list[tuple[str, Callable[..., Any], dict[str, Any]]] = []

    def get(self, path: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
            self.routes.append((path, endpoint, {**self.defaults, **kwargs}))
            return endpoint

        return register

    def install(self, app: FastAPI, prefix: str) -> None:
        for path, endpoint, kwargs in self.routes:
            app.router.add_api_route(
                prefix + path, endpoint, methods=["GET"], route_class_override=DirectRoute, **kwargs
            )
