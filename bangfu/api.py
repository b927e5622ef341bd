"""The JSON API at /api/v1: bearer tokens or the browser session, errors as problem documents."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import APIKeyCookie, HttpBearer

from bangfu.accounts import selectors as accounts
from bangfu.accounts import services as accounts_services
from bangfu.accounts.domain.administration import refusal
from bangfu.accounts.domain.roles import writes_of
from bangfu.core import replicas
from bangfu.core.errors import ApplicationError, NotFound, invalid
from bangfu.core.idempotency import is_idempotent, run_once
from bangfu.core.middleware import generic_problem, problem, problem_response

logger = logging.getLogger("django.request")


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = accounts.token_by_raw(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]  # its use is recorded in _route
        return found.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session (the interactive docs use it); CSRF applies to writes."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


def _docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The docs page and openapi.json need a login (or a token) unless settings.API_DOCS_PUBLIC."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.API_DOCS_PUBLIC and not request.user.is_authenticated:
            bearer = request.headers.get("Authorization", "")
            token = accounts.token_by_raw(bearer[7:].strip()) if bearer[:7].lower() == "bearer " else None
            user = token.user if token is not None else None
            if user is None:
                if request.path.endswith(".json"):
                    body = problem(
                        401,
                        "unauthenticated",
                        "请先登录或提供有效的令牌",
                        "Log in or send a valid Bearer token (API_DOCS_PUBLIC is off)",
                    )
                    return problem_response(body, 401)
                return redirect_to_login(request.get_full_path())
            request.user = user
        return view(request, *args, **kwargs)

    return wrapper


INT_LIMIT = 2**63  # no integer column holds more; SQLite's driver would raise OverflowError


class JsonParser(Parser):
    """JSON bodies: an object; no string anywhere with NUL, control, bidi or surrogate characters, and
    no integer beyond 64 bits."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise invalid("body", "请求体应为 JSON 对象 {…}", "The request body must be a JSON object {…}")
        _refuse_hidden(data, "")
        return data


def _refuse_hidden(value: Any, path: str) -> None:
    from bangfu.core.domain.inputs import bad_character

    if isinstance(value, str):
        reason = bad_character(value, multiline=True)
        if reason:
            raise invalid(
                path or "body",
                f"“{path}”含有不可见或控制字符，请删除后重新提交",
                f"'{path}' contains a hidden or control character ({reason}); remove it and send again",
            )
    elif isinstance(value, int) and not isinstance(value, bool) and not -INT_LIMIT < value < INT_LIMIT:
        raise invalid(
            path or "body",
            f"“{path}”数值超出范围",
            f"'{path}' is out of range (no id, count or amount is that large)",
        )
    elif isinstance(value, dict):
        for k, v in value.items():
            _refuse_hidden(str(k), path)
            _refuse_hidden(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _refuse_hidden(v, f"{path}.{i}")


class ProblemFieldOut(Schema):
    field: str
    message: str
    message_en: str
    row: int | None = None


class ProblemOut(Schema):
    """RFC 9457 problem document with the bilingual fields (core.errors.ApplicationError.as_problem)."""

    type: str = ""
    title: str = ""
    status: int
    detail: str = ""
    code: str
    message: str
    message_en: str
    errors: list[ProblemFieldOut] = []


# Every operation may answer these with a problem document: no login/token (401), a capability the
# role lacks (403), an object outside the caller's areas (404), a state that forbids the change (409),
# input the schema or a service rejects (422), a body over the size limit (413), other refusals of
# ApplicationError and malformed JSON (400), and an unexpected error (500): all are problem documents.
# A refused workflow step (core.errors.refused) is one of three, the same in every app: 409 `invalid_step`
# (not possible in this state), 403 `forbidden` (someone else's step), 422 `validation` (its conditions).
PROBLEM_STATUSES = {
    400: "请求无法处理 Bad request",
    401: "未登录或令牌无效 Not authenticated",
    403: "无此权限，或该步骤应由他人办理 Forbidden, or a workflow step that is someone else's",
    404: "未找到或不在您的区域内 Not found (or outside your areas)",
    409: (
        "状态冲突；当前状态下不能办理的步骤 code 为 invalid_step "
        "Conflict; a workflow step not possible in the current state has code invalid_step"
    ),
    413: "提交内容过大 Request body too large",
    422: "数据不正确，或步骤条件未满足（errors 逐项） Invalid input, or a workflow step's unmet conditions (in errors)",
    500: "系统出错 Server error",
}


class BangfuAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`bangfu_<app>_api_<function>`: named after the app's API, not the file the function sits in, so an
        api.py that grows into a package (`market/api/orders.py`) keeps the operation ids clients generate from."""
        module = operation.view_func.__module__
        app_api = module.split(".api.")[0] + ".api" if ".api." in module else module
        return f"{app_api}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        problem = ProblemOut.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
        )
        schema["components"]["schemas"].update(problem.pop("$defs", {}))
        schema["components"]["schemas"][ProblemOut.__name__] = problem
        ref = {"$ref": REF_TEMPLATE.format(model=ProblemOut.__name__)}
        content = {"application/problem+json": {"schema": ref}, "application/json": {"schema": ref}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, description in PROBLEM_STATUSES.items():
                    operation["responses"].setdefault(status, {"description": description, "content": content})
                if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                    # uploads beyond core.excel's limits (file size, sheet dimension, unpacked size)
                    operation["responses"].setdefault(
                        413, {"description": "文件过大 Upload too large", "content": content}
                    )
        return schema


api = BangfuAPI(
    title="Bangfu 帮扶 API",
    version="1",
    description="后续帮扶信息系统接口。所有读写均限定在调用者所辖区域内。",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    docs_decorator=_docs_access,
    parser=JsonParser(),
)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return problem_response(exc.as_problem(), exc.status)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = problem(401, "unauthenticated", "请先登录或提供有效的令牌", "Log in or send a valid Bearer token")
    return problem_response(body, 401)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", [])[1:]),
            "message": "字段格式不正确",
            "message_en": e.get("msg"),
        }
        for e in exc.errors
    ]
    body = problem(422, "validation", "提交的数据格式不正确", "Invalid request body") | {"errors": errors}
    return problem_response(body, 422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, ApplicationError):  # raised by JsonParser
        return problem_response(cause.as_problem(), cause.status)
    if exc.status_code == 400 and isinstance(cause, ValueError):  # json.JSONDecodeError, UnicodeDecodeError
        body = problem(400, "malformed_json", "请求体不是有效的 JSON", "The request body is not valid JSON")
        return problem_response(body, 400)
    body = problem(exc.status_code, "http_error", "请求无法处理", str(exc.message))
    return problem_response(body, exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(NotFound().as_problem(), 404)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    body = problem(413, "too_large", "提交的内容过大，请分批提交", "The request body is too large; send it in parts")
    return problem_response(body, 413)


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number no column can hold (SQLite's driver refuses ints beyond 64 bits, e.g. ?scheme_id=2**70)."""
    body = problem(
        400, "out_of_range", "数值超出范围，请检查填写的数字", "A number is out of range; check the numbers sent"
    )
    return problem_response(body, 400)


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    """PostgreSQL refused a value its column cannot hold (a write that skipped the save guard)."""
    logger.warning("Value refused by the database: %s (%s)", request.path, exc)
    body = problem(422, "out_of_range", "填写的内容过长或数值超出范围", "A value is too long or out of range")
    return problem_response(body, 422)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _connection_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A replica that died under a read-only operation: run it again on the primary (see _route)."""
    if replicas.may_retry(replicas.current(), exc):
        raise replicas.RestartOnPrimary from exc
    return _server_error(request, exc)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
    return problem_response(generic_problem(500), 500)


def _mount() -> None:
    from bangfu.accounts.api import router as accounts_router
    from bangfu.analytics.api import router as analytics_router
    from bangfu.areas.api import router as areas_router
    from bangfu.casework.api import router as casework_router
    from bangfu.core.api import router as jobs_router
    from bangfu.employment.api import router as employment_router
    from bangfu.insurance.api import router as insurance_router
    from bangfu.market.api import router as market_router
    from bangfu.monitoring.api import router as monitoring_router
    from bangfu.registry.api import router as registry_router
    from bangfu.rules.api import router as rules_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/areas", areas_router)
    api.add_router("/registry", registry_router)
    api.add_router("/rules", rules_router)
    api.add_router("/monitoring", monitoring_router)
    api.add_router("/casework", casework_router)
    api.add_router("/insurance", insurance_router)
    api.add_router("/employment", employment_router)
    api.add_router("/market", market_router)
    api.add_router("/analytics", analytics_router)
    api.add_router("/jobs", jobs_router)
    for bound in api._get_bound_routers():  # the operations Ninja serves (clones of the routers')
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                _guard_writes(operation)
                if is_idempotent(operation.view_func):
                    _run_once(operation)
                _route(operation)


def _guard_writes(operation: Operation) -> None:
    """An operation declared with accounts.domain.roles.writes refuses (403) a caller holding none of
    the capabilities, after authentication and before its input is read."""
    caps = writes_of(operation.view_func)
    if not caps:
        return
    checks = operation._run_checks

    def run_checks(request: HttpRequest) -> HttpResponse | None:
        error = checks(request)
        if error is not None or accounts.may_write(getattr(request, "auth", None), caps):
            return error
        return problem_response(refusal(caps).as_problem(), 403)

    operation._run_checks = run_checks  # type: ignore[method-assign]  # Ninja has no hook after authentication


def _route(operation: Operation) -> None:
    """Reads of an operation marked core.replicas.replica_ok go to a replica once the caller is
    authenticated (unless the caller wrote within BANGFU_READ_YOUR_WRITES_SECONDS); the token's use is
    recorded except on such a read; a replica failing under it makes it run again on the primary; a
    token that wrote marks itself for read-your-writes."""
    checks = operation._run_checks
    run = operation.run

    def run_checks(request: HttpRequest) -> HttpResponse | None:
        error = checks(request)
        if error is not None:
            return error
        state = replicas.current()
        token = getattr(request, "api_token", None)
        if state is not None:
            replicas.allow(request, operation.view_func, state)
            if token is not None and replicas.wrote_recently(token.last_write):
                state.stay_on_primary()
        if token is not None and not replicas.from_replica():
            accounts_services.token_touch(token=token)
        return None

    def route(request: HttpRequest, **kw: Any) -> HttpResponseBase:
        state = replicas.current()
        try:
            response = run(request, **kw)
        except replicas.RestartOnPrimary:
            assert state is not None
            replicas.restart_on_primary(state)
            response = run(request, **kw)
        token = getattr(request, "api_token", None)
        if state is not None and state.wrote and token is not None:
            accounts_services.token_wrote(token=token)
        return response

    operation._run_checks = run_checks  # type: ignore[method-assign]  # Ninja has no hook after authentication
    operation.run = route  # type: ignore[method-assign]  # nor one around the whole operation (replica retry)


def _run_once(operation: Operation) -> None:
    """An operation marked with core.idempotency.idempotent answers a repeated Idempotency-Key from its
    stored answer: the view and the serialisation of its result run inside core.idempotency.run_once
    (after authentication and parsing, so the user is known and a malformed body stores nothing)."""
    original = operation.view_func

    @wraps(original)
    def view(request: HttpRequest, **values: Any) -> HttpResponse:
        def call() -> HttpResponse:
            try:
                result = original(request, **values)
                temporal = operation.api.create_temporal_response(request)
                return operation._result_to_response(request, result, temporal)  # type: ignore[return-value]  # Ninja says HttpResponseBase; ours are HttpResponse
            except Exception as exc:  # answered as the API answers any error
                answer: HttpResponse = operation.api.on_exception(request, exc)
                return answer

        return run_once(request, call)

    operation.view_func = view


_mount()
