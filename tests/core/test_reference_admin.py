"""Reference data in admin: provinces and cities are browsed, never edited (their names are in every vacancy's
search document); a centre's province — whose moderation its staff do — is fixed once the centre exists."""

import pytest
from django.urls import reverse

from regions.models import City, TalentCentre
from tests.admin_forms import form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))


def test_cities_and_provinces_are_shown_not_edited(client, root):
    url = reverse("admin:regions_city_change", args=["320500"])
    page = client.get(url)

    assert page.status_code == 200 and 'name="name"' not in page.content.decode()
    assert client.post(url, {"code": "320500", "name": "姑苏", "province": "320000"}).status_code == 403
    assert City.objects.get(code="320500").name == "苏州市"
    assert client.get(reverse("admin:regions_city_add")).status_code == 403
    assert client.post(reverse("admin:regions_province_delete", args=["320000"]), {"post": "yes"}).status_code == 403


def test_a_centre_keeps_its_province(client, root):
    centre = TalentCentre.objects.get(slug="js-talent")
    url = reverse("admin:regions_talentcentre_change", args=[centre.pk])
    data = form_data(client.get(url))
    data["name"] = "江苏省人才流动服务中心（新址）"
    data["province"] = "310000"  # ignored: not a field of the form any more

    assert client.post(url, data).status_code == 302
    centre.refresh_from_db()
    assert centre.name == "江苏省人才流动服务中心（新址）" and centre.province_id == "320000"
    assert (
        client.post(reverse("admin:regions_talentcentre_delete", args=[centre.pk]), {"post": "yes"}).status_code == 403
    )
