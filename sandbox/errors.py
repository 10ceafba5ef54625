"""HrFlow's error bodies: `{"code": <status>, "message": "..."}` with the HTTP status equal to code.

`api_view` wraps every endpoint so that nothing but such a body ever leaves the sandbox: bad
input is a 400 naming the parameter, a body over DATA_UPLOAD_MAX_MEMORY_SIZE a 413, and an
unexpected exception is logged and answered with a JSON 500 (no traceback, no HTML).
"""

import functools
import logging
import os
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox.auth import check_credentials
from sandbox.params import BadParameter

logger = logging.getLogger("sandbox")
JSON = "application/json"  # exactly: the hrflow SDK rejects "application/json; charset=..."


class UnknownObject(Exception):
    """A key that names nothing, answered as HrFlow does: 400 "Unable to find object: <kind>"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


# Which gunicorn worker answered (its pid): lets tests prove a request reached every worker.
# HrFlow clients ignore unknown headers.
WORKER_HEADER = "X-Sandbox-Worker"


def json_response(body: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=JSON)
    response[WORKER_HEADER] = str(os.getpid())
    return response


def error_response(code: int, message: str) -> JsonResponse:
    return json_response({"code": code, "message": message}, status=code)


def api_view(methods: tuple[str, ...], *, auth: bool = True) -> Callable[..., Any]:
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = error_response(
                    405, f"Method {request.method} not allowed; use {', '.join(methods)}"
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if auth:
                    failure = check_credentials(request)
                    if failure is not None:
                        return error_response(401, failure)
                return view(request, *args, **kwargs)
            except BadParameter as exc:
                return error_response(400, exc.message)
            except RequestDataTooBig:
                # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE (a
                # SuspiciousOperation): the client sent too much, which is a 413, not our fault.
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                return error_response(413, f"body: larger than the {limit} bytes accepted")
            except UnknownObject as exc:
                return error_response(400, f"Invalid parameters. Unable to find object: {exc.kind}")
            except Exception:
                logger.exception("sandbox: unhandled error on %s %s", request.method, request.path)
                return error_response(500, "A generic error occurred on the server")

        return wrapper

    return decorate


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(404, f"Not found: {request.path}")


def server_error(request: HttpRequest) -> JsonResponse:
    return error_response(500, "A generic error occurred on the server")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(400, "Bad request")
