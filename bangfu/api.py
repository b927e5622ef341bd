"""The JSON API at /api/v1: bearer tokens or the browser session, errors as problem documents."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema, OpenAPISchema
from ninja.security import APIKeyCookie, HttpBearer

from bangfu.accounts import selectors as accounts
from bangfu.core.errors import ApplicationError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = accounts.user_by_token(token)
        if user is not None:
            request.user = user
        return user


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
            user = accounts.user_by_token(bearer[7:].strip()) if bearer[:7].lower() == "bearer " else None
            if user is None:
                if request.path.endswith(".json"):
                    body = {
                        "status": 401,
                        "code": "unauthenticated",
                        "message": "请先登录或提供有效的令牌",
                        "message_en": "Log in or send a valid Bearer token (API_DOCS_PUBLIC is off)",
                    }
                    return JsonResponse(body, status=401, content_type="application/problem+json")
                return redirect_to_login(request.get_full_path())
            request.user = user
        return view(request, *args, **kwargs)

    return wrapper


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
# input the schema or a service rejects (422), and other refusals of ApplicationError (400).
PROBLEM_STATUSES = {
    400: "请求无法处理 Bad request",
    401: "未登录或令牌无效 Not authenticated",
    403: "无此权限 Forbidden",
    404: "未找到或不在您的区域内 Not found (or outside your areas)",
    409: "状态冲突 Conflict",
    422: "数据不正确 Invalid input",
}


class BangfuAPI(NinjaAPI):
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
        return schema


api = BangfuAPI(
    title="Bangfu 帮扶 API",
    version="1",
    description="后续帮扶信息系统接口。所有读写均限定在调用者所辖区域内。",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    docs_decorator=_docs_access,
)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, exc.as_problem(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {
        "status": 401,
        "code": "unauthenticated",
        "message": "请先登录或提供有效的令牌",
        "message_en": "Log in or send a valid Bearer token",
    }
    return api.create_response(request, body, status=401)


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
    body = {
        "status": 422,
        "code": "validation",
        "message": "提交的数据格式不正确",
        "message_en": "Invalid request body",
        "errors": errors,
    }
    return api.create_response(request, body, status=422)


def _mount() -> None:
    from bangfu.accounts.api import router as accounts_router
    from bangfu.analytics.api import router as analytics_router
    from bangfu.areas.api import router as areas_router
    from bangfu.casework.api import router as casework_router
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


_mount()
