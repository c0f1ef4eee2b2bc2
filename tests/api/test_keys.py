"""API keys: issued and revoked by staff in admin, stored hashed, shown once, scoped to the staff's province."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from api.models import ApiKey
from api.services import api_key_issue, api_key_revoke
from talentfair.core.errors import ApplicationError
from tests.factories import JobPostingFactory, StaffFactory, UserFactory, centre

pytestmark = pytest.mark.django_db

KEY_RE = re.compile(r"tfk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def _superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_staff_issue_a_key_in_admin_and_see_it_once(client):
    client.force_login(_superuser())
    response = client.post(
        "/admin/api/apikey/add/", {"centre": centre("js-talent").pk, "name": "江苏镜像"}, follow=True
    )
    assert response.status_code == 200
    shown = KEY_RE.findall(response.content.decode())
    assert len(shown) == 1
    plain = shown[0]
    key = ApiKey.objects.get()
    assert key.centre.slug == "js-talent"
    assert plain.split("_", 2)[1] == key.prefix
    # Stored hashed: the secret is nowhere in the row.
    assert plain not in key.digest and plain.split("_", 2)[2] not in str(ApiKey.objects.values().get())
    # Shown once: neither the list nor the key's own page shows it again.
    assert not KEY_RE.search(client.get("/admin/api/apikey/").content.decode())
    assert not KEY_RE.search(client.get(f"/admin/api/apikey/{key.pk}/change/").content.decode())

    JobPostingFactory()
    for headers in ({"HTTP_AUTHORIZATION": f"Api-Key {plain}"}, {"HTTP_X_API_KEY": plain}):
        assert client.get("/api/v1/jobs/", **headers).status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_an_empty_purpose_is_refused_and_nothing_is_stored(client):
    client.force_login(_superuser())
    response = client.post("/admin/api/apikey/add/", {"centre": centre("js-talent").pk, "name": ""})
    assert response.status_code == 200  # the form again, with its error
    assert ApiKey.objects.count() == 0
    with pytest.raises(ApplicationError):
        api_key_issue(centre=centre("js-talent"), name="  ", by=None)


def test_revoke_in_admin_refuses_the_key_from_the_next_request(client):
    key, plain = api_key_issue(centre=centre("sh-talent"), name="上海镜像", by=None)
    assert client.get("/api/v1/jobs/", HTTP_X_API_KEY=plain).status_code == 200
    client.force_login(_superuser())
    response = client.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [key.pk]}, follow=True)
    assert "已吊销 1 个密钥" in [str(m) for m in get_messages(response.wsgi_request)][0]
    key.refresh_from_db()
    assert key.revoked_at is not None
    client.logout()

    refused = client.get("/api/v1/jobs/", HTTP_X_API_KEY=plain)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Api-Key"
    assert "吊销" in refused.json()["error"]["message"]
    with pytest.raises(ApplicationError):
        api_key_revoke(key=key, by=None)


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_X_API_KEY": "tfk_00000000_" + "a" * 43},
        {"HTTP_X_API_KEY": "nonsense"},
        {"HTTP_AUTHORIZATION": "Api-Key "},
        {"HTTP_AUTHORIZATION": "Api-Key tfk_zz_\u4e2d\u6587"},
    ],
)
def test_wrong_keys_are_401_json(client, header):
    api_key_issue(centre=centre("sh-talent"), name="x", by=None)
    response = client.get("/api/v1/jobs/", **header)
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


def test_a_key_with_a_tampered_secret_is_refused(client):
    _key, plain = api_key_issue(centre=centre("sh-talent"), name="x", by=None)
    tampered = plain[:-1] + ("A" if plain[-1] != "A" else "B")
    assert client.get("/api/v1/jobs/", HTTP_X_API_KEY=tampered).status_code == 401


def test_staff_see_and_revoke_only_their_provinces_keys(client):
    mine, _ = api_key_issue(centre=centre("sh-talent"), name="上海", by=None)
    theirs, _ = api_key_issue(centre=centre("js-talent"), name="江苏", by=None)
    staff = StaffFactory(centre=centre("sh-talent"))
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_apikey", "change_apikey", "add_apikey"]))
    client.force_login(staff)
    listing = client.get("/admin/api/apikey/").content.decode()
    assert mine.prefix in listing and theirs.prefix not in listing
    assert client.get(f"/admin/api/apikey/{theirs.pk}/change/").status_code == 404
    client.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [mine.pk, theirs.pk]})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None
    # The add form offers only their own province's centres.
    form = client.get("/admin/api/apikey/add/").content.decode()
    choices = re.search(r'<select name="centre".*?</select>', form, re.S).group()
    assert "上海市人才服务中心" in choices and "江苏省人才流动服务中心" not in choices
