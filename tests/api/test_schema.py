"""OpenAPI schema, the docs page without a CDN, and the conformance run: schemathesis sends property-based requests
built from the schema to every endpoint of the API (in-process, through the real WSGI application and database)
and checks for server errors and responses that break the schema."""

import os
import re

import pytest
import requests
import schemathesis
from django.db import connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from fairs.models import Participation
from tests.factories import EmployerFactory, FairFactory, JobPostingFactory, ParticipationFactory, city

# Bounded so `make test` stays fast; API_CONFORMANCE_EXAMPLES=200 for a deeper run.
MAX_EXAMPLES = int(os.environ.get("API_CONFORMANCE_EXAMPLES", "15"))


def test_schema_is_openapi_3_and_documents_errors(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/jobs/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "province", "city", "industry", "education", "sort", "cursor", "page_size", "updated_since"} <= names
    assert set(operation["responses"]) >= {"200", "400", "401", "404", "429"}
    assert schema["components"]["securitySchemes"]["ApiKey"]["name"] == "X-Api-Key"


def test_docs_are_served_without_a_cdn(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    # Every asset from our own static files (not a bare "cdn" substring check: the page's CSRF token is random).
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert assets and all(url.startswith("/") for url in assets), assets
    assert not re.search(r"unpkg|jsdelivr|cdnjs|//cdn\.", html, re.IGNORECASE)


@pytest.fixture
def seeded(reference_data, settings):
    """A small catalogue: employers in four provinces, open, negotiable and closed vacancies, a fair with
    participants. Committed, so the live server's threads see it."""
    settings.API_RATE_ANONYMOUS = "100000/min"
    # The live server answers from request threads; with persistent connections they would outlive the test and
    # keep the test database from being dropped.
    database = connections["default"].settings_dict
    max_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    fair = FairFactory(slug="fair-10")
    employers = [EmployerFactory(city=city(code)) for code in ("310115", "320500", "330100", "340100")]
    for i, employer in enumerate(employers):
        ParticipationFactory(fair=fair, employer=employer)
        JobPostingFactory(employer=employer, fair=fair if i % 2 else None, tags="五险一金", cohort=2026)
        JobPostingFactory(employer=employer, salary_min=None, salary_max=None, salary_negotiable=True)
        JobPostingFactory(employer=employer, status="closed")
    assert Participation.objects.count() == 4
    yield
    database["CONN_MAX_AGE"] = max_age


def test_conformance(live_server, seeded):
    """Every operation, MAX_EXAMPLES generated requests each (valid and invalid parameters), over real HTTP."""
    document = requests.get(f"{live_server.url}/api/v1/schema/?format=json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11
    session = requests.Session()
    for operation in operations:
        parameters = document["paths"][operation.path][operation.method.lower()].get("parameters", [])
        # Without a constrained parameter there is no invalid request to build: any text is a valid free-text query
        # value (hypothesis would report Unsatisfiable).
        constrained = any(_constrained(p.get("schema", {})) for p in parameters)
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if constrained else (GenerationMode.POSITIVE,)
        for mode in modes:
            strategy = operation.as_strategy(generation_mode=mode)
            if mode is GenerationMode.POSITIVE:
                # A cursor is opaque: any string matches its schema, yet only one the API issued is valid, and a
                # made-up one is rightly refused with 400. Positive cases leave it out; negative ones keep it.
                strategy = strategy.map(_without_cursor)

            @given(case=strategy)
            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def check(case):
                case.call_and_validate(base_url=live_server.url, session=session)

            check()


def _constrained(schema: dict) -> bool:
    keys = ("enum", "format", "pattern", "minLength", "maxLength", "minimum", "maximum")
    return schema.get("type", "string") != "string" or any(key in schema for key in keys)


def _without_cursor(case):
    if case.query:
        case.query.pop("cursor", None)
    return case
