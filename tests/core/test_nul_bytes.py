"""A NUL character in any submitted value is refused with a clear message and changes nothing — in every form, the
query string and the API (one middleware) — instead of reaching PostgreSQL, which cannot store it."""

import pytest

from accounts.models import User
from jobs.models import Application
from tests.accounts.helpers import make_graduate
from tests.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_cover_note_is_refused_and_nothing_is_applied(client):
    job = JobPostingFactory()
    graduate = make_graduate()
    client.force_login(graduate)
    response = client.post(f"/jobs/{job.pk}/apply/", {"cover_note": "您好\x00"})
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()
    assert not Application.objects.exists()
    assert client.post(f"/jobs/{job.pk}/apply/", {"cover_note": "您好"}).status_code == 302  # without it: applied
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/accounts/signup/",
            {"email": "x\x00@example.cn", "password1": "correct horse battery", "password2": "correct horse battery"},
        ),
        ("/accounts/login/", {"login": "a@example.cn", "password": "pass\x00word"}),
        ("/accounts/password/reset/", {"email": "a\x00@example.cn"}),
    ],
)
def test_every_form_refuses_it(client, path, data):
    response = client.post(path, data)
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("path", ["/jobs/?q=会计%00", "/jobs/?province=320000%00", "/api/v1/jobs/?q=%00"])
def test_a_nul_in_the_query_string_is_a_400_not_a_500(client, path):
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == "invalid"


def test_the_refusal_is_in_english_on_the_english_site(client):
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"login": "a\x00"})
    assert response.status_code == 400
    assert "invalid character" in response.content.decode()
