"""The API renders JSON with orjson (``api.renderers.FastJSONRenderer``); its bytes must be DRF's ``JSONRenderer``'s."""

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from api.renderers import FastJSONRenderer
from tests.factories import EmployerFactory, FairFactory, JobPostingFactory

# Every control character, quotes and backslashes, the two JavaScript line terminators, a BOM, CJK and an emoji.
AWKWARD_TEXT = "".join(chr(i) for i in range(0x20)) + '"\\/\x7f\u2028\u2029\ufeff长三角😀'

SAMPLES = [
    None,
    {},
    [],
    {"text": AWKWARD_TEXT, "nested": [{"a": [1, -2, 0, 2**63 - 1, -(2**63)]}, True, False, None]},
    {"big": 2**70},  # beyond orjson's 64 bits: DRF's renderer writes it
    {"moment": datetime(2026, 3, 1, 8, 0, 0, 123456, tzinfo=UTC), "naive": datetime(2026, 3, 1, 8, 0)},
    {"day": date(2026, 3, 1), "time": time(8, 30, 1, 5), "delta": timedelta(hours=1, microseconds=3)},
    {"money": Decimal("12.50"), "id": uuid.UUID(int=7), "lazy": gettext_lazy("面议"), "tuple": (1, "二")},
    {1: "int key", None: "none key"},
    ["a", {"b": {"c": [AWKWARD_TEXT]}}],
]


@pytest.mark.parametrize("data", SAMPLES, ids=range(len(SAMPLES)))
def test_same_bytes_as_drf(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_indent_requested_by_the_client_is_honoured():
    data = {"results": [{"id": 1, "title": "软件工程师"}]}
    rendered = FastJSONRenderer().render(data, "application/json; indent=2")
    assert rendered == JSONRenderer().render(data, "application/json; indent=2")
    assert b"\n  " in rendered


@pytest.mark.django_db
def test_api_pages_are_rendered_as_drf_would(client):
    fair = FairFactory()
    employer = EmployerFactory(name="上海\u2028测试\x01有限公司")
    JobPostingFactory(employer=employer, fair=fair, title='"引号" \\ 与\u2029分隔', tags="五险一金 双休")
    JobPostingFactory(employer=employer, salary_min=None, salary_max=None, salary_negotiable=True)
    urls = ("/api/v1/jobs/", "/api/v1/employers/", "/api/v1/fairs/", "/api/v1/jobs/facets/?q=引号", "/api/v1/jobs/0/")
    for url in urls:
        response = client.get(url)
        assert response.content == JSONRenderer().render(json.loads(response.content)), url


@pytest.mark.django_db
def test_schema_has_no_floats(client):
    """orjson and the standard library may spell a float's exponent differently; no response has a float field
    (query parameters may be numbers: they are read, not rendered)."""
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    def types(node):
        if isinstance(node, dict):
            if "type" in node and isinstance(node["type"], str):
                yield node["type"]
            for value in node.values():
                yield from types(value)
        elif isinstance(node, list):
            for value in node:
                yield from types(value)

    responses = [op["responses"] for path in schema["paths"].values() for op in path.values()]
    found = set(types(schema["components"]["schemas"])) | set(types(responses))
    assert "integer" in found
    assert "number" not in found
