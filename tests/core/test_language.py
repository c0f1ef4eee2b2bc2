import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_chinese_first_even_for_an_english_browser(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_switch_chooses_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page


def test_the_switch_names_each_language_in_its_own_tongue(client):
    assert ">English</button>" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert ">简体中文</button>" in client.get(reverse("home")).content.decode()


def test_chinese_pages_group_thousands_with_commas():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("zh-hans"):
        assert intcomma(20811) == "20,811"
