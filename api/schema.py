"""drf-spectacular extensions: the API-key header as a security scheme, the JSON error body on every operation."""

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
