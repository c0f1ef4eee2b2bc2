"""Admin edits of employers and memberships go through the services (issue 14, item 1): a rename is searchable by
the new name only and reaches partners' mirrors; memberships are shown, never edited, in admin; employers are
neither created nor deleted there."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from employers.models import Employer, Membership, MembershipStatus
from jobs.models import JobPosting
from tests.accounts.helpers import make_recruiter
from tests.admin_forms import form_data
from tests.factories import EmployerFactory, JobPostingFactory, UserFactory
from tests.moderation_helpers import centre_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    employer = EmployerFactory(name="苏州汇川精密机械有限公司", city_id="320500")
    JobPostingFactory(employer=employer, title="机械设计工程师")
    JobPostingFactory(employer=employer, title="电气工程师")
    return employer


def _search(client, q: str) -> list[str]:
    return [job.title for job in client.get("/jobs/", {"q": q}).context["jobs"]]


def test_a_rename_in_admin_is_searchable_by_the_new_name_only(client, employer, settings):
    settings.SEARCH_CACHE_TTL = 0
    assert sorted(_search(client, "汇川")) == ["机械设计工程师", "电气工程师"]
    before = timezone.now() - timedelta(seconds=1)
    JobPosting.objects.filter(employer=employer).update(updated_at=before)
    staff_client = client.__class__()
    staff_client.force_login(centre_admin("320000"))
    url = reverse("admin:employers_employer_change", args=[employer.pk])
    data = form_data(staff_client.get(url))
    data["name"] = "江苏卓越智能装备股份有限公司"

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Employer.objects.get(pk=employer.pk).name == "江苏卓越智能装备股份有限公司"
    assert _search(client, "汇川") == []
    assert sorted(_search(client, "卓越智能")) == ["机械设计工程师", "电气工程师"]
    # Partners mirroring with updated_since fetch the vacancies again: their hiringOrganization changed.
    assert not JobPosting.objects.filter(employer=employer, updated_at__lte=before).exists()
    api = client.get("/api/v1/jobs/", {"updated_since": (before + timedelta(milliseconds=500)).isoformat()})
    assert {row["employer"]["name"] for row in api.json()["results"]} == {"江苏卓越智能装备股份有限公司"}


def test_an_invalid_edit_is_a_form_error_and_changes_nothing(client, employer):
    client.force_login(centre_admin("320000"))
    url = reverse("admin:employers_employer_change", args=[employer.pk])
    data = form_data(client.get(url))
    data["uscc"] = "91320500MA1XXXXXX0"  # a wrong check character

    response = client.post(url, data)

    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert Employer.objects.get(pk=employer.pk).uscc == employer.uscc


def test_employers_are_not_added_or_deleted_in_admin(client, employer):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:employers_employer_add")).status_code == 403
    delete = reverse("admin:employers_employer_delete", args=[employer.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Employer.objects.filter(pk=employer.pk).exists()


def test_memberships_are_shown_not_edited_in_admin(client, employer):
    member = make_recruiter(employer)
    membership = Membership.objects.get(user=member)
    pending = Membership.objects.create(employer=employer, user=UserFactory(), status=MembershipStatus.PENDING)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:employers_membership_change", args=[pending.pk]))
    tried = client.post(reverse("admin:employers_membership_change", args=[pending.pk]), {"status": "active"})

    assert page.status_code == 200 and 'name="status"' not in page.content.decode()  # a view, not a form
    assert tried.status_code == 403
    assert client.get(reverse("admin:employers_membership_add")).status_code == 403
    delete = reverse("admin:employers_membership_delete", args=[membership.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    # The employer's page lists its members without a way to change them either.
    employer_page = client.get(reverse("admin:employers_employer_change", args=[employer.pk])).content.decode()
    assert str(member) in employer_page
    assert 'name="memberships-0-status"' not in employer_page
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING
