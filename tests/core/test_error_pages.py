"""Branded error pages in both languages: 404 and 403 in the site's frame, the 500 page standalone."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import permission_denied

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "text"), [("zh-hans", "找不到这个页面"), ("en", "Page not found")])
def test_not_found(client, language, text):
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert text in page and 'href="/jobs/"' in page


@pytest.mark.parametrize(("language", "text"), [("zh-hans", "无权访问"), ("en", "Access denied")])
def test_forbidden(language, text):
    """Django's own 403 view (what a PermissionDenied anywhere becomes) renders our page."""
    request = RequestFactory().get("/fairs/x/check-in/")
    request.user = UserFactory()
    with translation.override(language):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert text in response.content.decode()


def test_server_error_page_needs_no_database():
    page = (Path(__file__).resolve().parents[2] / "templates" / "500.html").read_text()
    assert "出错了" in page and "Something went wrong" in page and "{%" not in page
