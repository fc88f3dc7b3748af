"""The JSON API at /api/v1: integration tokens or the browser session, errors as RFC 7807 problems."""

from typing import Any

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from .auth import session_auth, token_auth
from .endpoints import me_router, problems_router
from .problems import declare_problems, register_problem_handlers
from .schemas import ProblemOut


class LocalSwagger(Swagger):
    """ninja's Swagger UI from its own static files (ninja in INSTALLED_APPS); never from a CDN, which our CSP forbids."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        if not apps.is_installed("ninja"):
            raise Http404
        return super().render_page(request, api, **kwargs)


def _unstorable(value: Any, loc: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Return a validation error for each text holding a NUL or a lone surrogate (no database stores them)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return [{"type": "string_unicode", "loc": loc, "msg": "Invalid Unicode"}]
        return [{"type": "string_unicode", "loc": loc, "msg": "NUL character"}] if "\x00" in value else []
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in _unstorable(k, loc) + _unstorable(v, (*loc, k))]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in _unstorable(v, (*loc, i))]
    return []


class StorableParser(Parser):
    """JSON bodies and query strings whose text a database can store: PostgreSQL refuses NUL, UTF-8 lone
    surrogates (both legal in JSON escapes), which would otherwise surface as a 500 deep in a query."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        errors = _unstorable(data, ("body", "body"))
        if errors:
            raise ValidationError(errors)
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        parsed = super().parse_querydict(data, list_fields, request)
        errors = [e for key, value in parsed.items() for e in _unstorable(value, ("query", key))]
        if errors:
            raise ValidationError(errors)
        return parsed


class KizunaAPI(NinjaAPI):
    """ninja's API whose OpenAPI document declares the problem responses of every operation."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        problem = ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in problem.pop("$defs", {}).items():
            schema.setdefault("components", {}).setdefault("schemas", {})[name] = definition
        return declare_problems(schema, problem)


api = KizunaAPI(
    title="Kizuna API",
    version="1",
    description=(
        "Kizuna's JSON API. Authenticate with an integration token (`Authorization: Bearer kz_…`) "
        "or, from the browser, with the signed-in session and the CSRF token. Lists take `limit` and "
        "`offset` and answer `{items, count}`. Errors are RFC 7807 problem details."
    ),
    urls_namespace="api",
    auth=[token_auth, session_auth],
    docs=LocalSwagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    parser=StorableParser(),
)
register_problem_handlers(api)
api.add_router("", me_router)
api.add_router("", "kizuna.catalog.api.router")
api.add_router("", "kizuna.learning.api.router")
api.add_router("", "kizuna.analytics.api.router")
api.add_router("", problems_router)
api.add_router("", "kizuna.kpis.api.router")
api.add_router("", "kizuna.certification.api.router")
api.add_router("", "kizuna.feedback.api.router")
api.add_router("", "kizuna.community.api.router")
