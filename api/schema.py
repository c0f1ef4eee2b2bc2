"""drf-spectacular extensions: the API-key header as a security scheme, the JSON error body on every operation."""

from django.db import DatabaseError
from django_filters import BooleanFilter, ModelChoiceFilter, NumberFilter
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "description": "A partner centre's key. `Authorization: Api-Key <key>` works too. Optional: without a "
            "key the API answers at the anonymous rate.",
        }


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string", "description": "What went wrong, for a person to read"},
                "details": {"description": "Per-parameter messages for 400 responses"},
            },
        }
    },
}
ERRORS = {
    "400": "A parameter has a value that cannot be used (see `error.details`).",
    "401": "The API key is unknown or revoked.",
    "404": "No such object or path.",
    "405": "The API is read-only.",
    "429": "Rate limit reached; retry after the number of seconds in `Retry-After`.",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ref}},
                        **({"headers": {"Retry-After": {"schema": {"type": "integer"}}}} if code == "429" else {}),
                    },
                )
    return result


BOOLEAN_VALUES = ("true", "false", "1", "0")
NO_NUL = "^[^\\x00]*$"


def document_filter_constraints(result, generator, request, public):
    """django-filter's bounds (min_value, max_value, max_length) into the parameters' schemas, so the schema says
    what the API refuses (drf-spectacular documents only the type)."""
    bounds = {"min_value": "minimum", "max_value": "maximum", "max_length": "maxLength"}
    # The endpoints the generator documented, with the FilterSet each view declares (read from the views it found,
    # not imported from api.views: that module imports this one).
    filtersets = {
        path: callback.cls.filterset_class
        for path, _pattern, method, callback in getattr(generator, "endpoints", None) or []
        if method == "GET" and getattr(callback.cls, "filterset_class", None) is not None
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if (
                    parameter["in"] == "query"
                    and schema.get("type") == "string"
                    and not schema.keys() & {"enum", "pattern"}
                ):
                    schema["pattern"] = NO_NUL  # refused with 400: PostgreSQL text cannot hold NUL
    for path, filterset in filtersets.items():
        operation = result.get("paths", {}).get(path, {}).get("get")
        if not operation:
            continue
        for parameter in operation.get("parameters", []):
            declared = filterset.base_filters.get(parameter["name"])
            if declared is None:
                continue
            if isinstance(declared, BooleanFilter):
                parameter["schema"] = {"type": "string", "enum": list(BOOLEAN_VALUES)}
            schema = parameter.setdefault("schema", {})
            if isinstance(declared, ModelChoiceFilter):
                # An unknown code or slug is refused (as the page refuses it): the schema lists what exists now.
                key = declared.extra.get("to_field_name") or "pk"
                try:
                    values = sorted(str(v) for v in declared.get_queryset(request).values_list(key, flat=True))
                except DatabaseError:  # `manage.py spectacular` before `migrate`: the schema without the list
                    values = []
                if values:
                    schema.pop("pattern", None)
                    schema["enum"] = values
            elif isinstance(declared, NumberFilter):
                schema["type"] = "number"  # salary_min=8500.5 is accepted (and read as 8500), as on the page
            elif schema.get("type") == "integer" and schema.get("enum"):
                schema["enum"] = [int(v) for v in schema["enum"]]  # education: "3" in the URL is the integer 3
            for extra, keyword in bounds.items():
                if declared.extra.get(extra) is not None:
                    parameter.setdefault("schema", {})[keyword] = declared.extra[extra]
    return result
