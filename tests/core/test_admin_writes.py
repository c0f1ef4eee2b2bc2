"""Every write from admin goes through a service (issue 14, item 1): each registered admin either cannot add,
change or delete, or saves and deletes through its own methods (which call the owning service) — checked over
the whole admin registry, so a new admin cannot slip in with Django's default save — and the change forms of the
models staff edit work as a user meets them."""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory

from employers.models import Industry
from feeds.models import FeedSource, SyncRun
from jobs.models import JobPosting
from tests.admin_forms import form_data
from tests.factories import JobPostingFactory, UserFactory, centre

# Admins that keep Django's or django-allauth's own saving, and why that is right for them.
OWN_MACHINERY = {
    "auth.group": "permission groups: created by data migrations (talentfair.core.groups); superusers only",
    "accounts.user": "Django's user admin (passwords, permissions); centre groups may only view users",
    "account.emailaddress": "django-allauth's e-mail addresses; superusers only",
    "mfa.authenticator": "django-allauth's second factors (removing a lost one); superusers only",
    "regions.talentcentre": "reference data kept by superusers; nothing is derived from a centre's name or site",
}


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return request


@pytest.mark.django_db
def test_every_admin_that_writes_does_so_through_its_own_methods():
    request = _superuser_request()
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in OWN_MACHINERY:
            continue
        kind = type(model_admin)
        writes = model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        if writes and kind.save_model is admin.ModelAdmin.save_model:
            unchecked.append(f"{label}: saves with Django's default save_model")
        if not model_admin.has_delete_permission(request):
            continue
        if kind.delete_model is admin.ModelAdmin.delete_model:
            unchecked.append(f"{label}: deletes with Django's default delete_model")
        bulk = "delete_selected" in model_admin.get_actions(request)
        if bulk and kind.delete_queryset is admin.ModelAdmin.delete_queryset:
            unchecked.append(f"{label}: bulk-deletes with Django's default delete_queryset")
    assert unchecked == []


@pytest.mark.django_db
def test_the_allowlist_names_only_registered_admins():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert set(OWN_MACHINERY) <= registered


@pytest.mark.django_db
def test_every_changelist_and_change_form_opens(client):
    """A superuser opens each admin's list, its add form where adding is allowed, and a change form."""
    request = _superuser_request()
    client.force_login(request.user)
    JobPostingFactory()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        assert client.get(base).status_code == 200, base
        if model_admin.has_add_permission(request):
            assert client.get(f"{base}add/").status_code == 200, f"{base}add/"
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            assert client.get(f"{base}{first.pk}/change/").status_code == 200, f"{base}{first.pk}/change/"


# --- feed sources: the one configuration staff edit freely ---


@pytest.mark.django_db
def test_a_feed_source_is_added_and_changed_through_the_service(client, settings):
    settings.FEEDS_ALLOWED_HOSTS = []
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/feeds/feedsource/add/")
    data = {
        **form_data(page),
        "centre": centre("js-talent").pk,
        "name": "江苏人才网",
        "slug": "js-rc",
        "url": "https://93.184.216.34/jobs.jsonld",
        "format": "jsonld",
        "encoding": "auto",
        "interval_minutes": "60",
        "enabled": "on",
        "max_close_share": "0.30",
        "trust": "own_province",
    }
    response = client.post("/admin/feeds/feedsource/add/", data)
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())
    source = FeedSource.objects.get(slug="js-rc")
    assert source.next_sync_at is None, "a new source is due at once"

    url = f"/admin/feeds/feedsource/{source.pk}/change/"
    refused = client.post(url, {**form_data(client.get(url)), "url": "http://169.254.169.254/latest/meta-data"})
    assert refused.status_code == 200
    assert "内部网络地址" in refused.content.decode()
    source.refresh_from_db()
    assert source.url == "https://93.184.216.34/jobs.jsonld"


@pytest.mark.django_db
def test_sources_vacancies_runs_and_reference_data_are_never_deleted_or_edited_in_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    job = JobPostingFactory()
    source = FeedSource.objects.create(slug="s", name="s", centre=centre("js-talent"), url="https://93.184.216.34/")
    run = SyncRun.objects.create(source=source)
    for url in (
        f"/admin/jobs/jobposting/{job.pk}/delete/",
        f"/admin/feeds/feedsource/{source.pk}/delete/",
        f"/admin/feeds/syncrun/{run.pk}/delete/",
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert JobPosting.objects.filter(pk=job.pk).exists()
    assert FeedSource.objects.filter(pk=source.pk).exists() and SyncRun.objects.filter(pk=run.pk).exists()

    industry = Industry.objects.get(code="I")
    page = client.get(f"/admin/employers/industry/{industry.code}/change/").content.decode()
    assert 'name="name"' not in page, "industries are GB/T 4754 reference data: shown, not edited"
