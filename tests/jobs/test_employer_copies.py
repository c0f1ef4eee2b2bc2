"""The employer's public state and ownership copied onto its vacancies (migration jobs.0008) follow every writer.

The search reads ``JobPosting.employer_public`` / ``employer_ownership`` instead of joining the employer, so these
copies must equal the employer's own state whatever changed it: services, a plain ``save()``, bulk SQL.
"""

import pytest
from django.db import connection

from employers.models import Employer, Ownership, VerificationState
from employers.services import employer_suspend, employer_verify
from jobs.models import JobPosting
from jobs.selectors import job_search
from tests.factories import EmployerFactory, JobPostingFactory, StaffFactory, centre

pytestmark = pytest.mark.django_db


def _public_ids() -> set[int]:
    return set(JobPosting.objects.published().values_list("pk", flat=True))


@pytest.mark.parametrize("state", [s for s, _ in VerificationState.choices])
@pytest.mark.parametrize("from_centre", [False, True])
def test_the_copy_agrees_with_employer_public_for_every_state(state, from_centre):
    employer = EmployerFactory(verification_state=state, source_centre=centre() if from_centre else None)
    job = JobPostingFactory(employer=employer)

    job.refresh_from_db()
    assert job.employer_public == Employer.objects.public().filter(pk=employer.pk).exists()
    assert job.employer_ownership == employer.ownership


def test_verifying_and_suspending_the_employer_shows_and_hides_its_vacancies():
    employer = EmployerFactory(verification_state=VerificationState.PENDING)
    job = JobPostingFactory(employer=employer)
    assert job.pk not in _public_ids()

    employer_verify(employer=employer, by=StaffFactory())
    assert job.pk in _public_ids()

    employer_suspend(employer=employer, by=StaffFactory(), reason="营业执照已吊销")
    assert job.pk not in _public_ids()


def test_a_stale_instance_saved_by_django_cannot_overwrite_the_copy():
    employer = EmployerFactory(verification_state=VerificationState.PENDING)
    job = JobPostingFactory(employer=employer)
    stale = JobPosting.objects.get(pk=job.pk)  # loaded while the employer was still pending
    Employer.objects.filter(pk=employer.pk).update(verification_state=VerificationState.VERIFIED)

    stale.title = "高级软件开发工程师"
    stale.save()

    assert JobPosting.objects.get(pk=job.pk).employer_public is True


def test_ownership_changes_reach_the_ownership_filter_and_facet():
    employer = EmployerFactory(ownership=Ownership.PRIVATE)
    job = JobPostingFactory(employer=employer)
    employer.ownership = Ownership.STATE
    employer.save()

    found = job_search({"ownership": Ownership.STATE})
    assert [j.pk for j in found.jobs] == [job.pk]
    ownership = next(f for f in found.facets if f.name == "ownership")
    counts = {o.value: o.count for o in ownership.options}
    assert counts[Ownership.STATE] == 1
    assert counts[Ownership.PRIVATE] == 0


def test_rows_written_by_plain_sql_get_the_copy_too():
    """Feed imports and bulk loaders write with SQL; the trigger covers them as it covers the ORM."""
    employer = EmployerFactory(ownership=Ownership.FOREIGN)
    template = JobPostingFactory(employer=employer)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO jobs_jobposting (employer_id, title, description, city_id, address, industry_id, category,
                tags, employment_type, education, experience, headcount, salary_months, salary_negotiable, salary_text,
                salary_unparsed, fresh_graduate, status, rejection_reason, published_at, valid_through,
                external_id, content_hash, search_vector, created_at, updated_at)
            SELECT employer_id, '数据分析师', description, city_id, address, industry_id, category, tags,
                employment_type, education, experience, headcount, salary_months, salary_negotiable, salary_text,
                salary_unparsed,
                fresh_graduate, status, rejection_reason, published_at, valid_through, 'sql-1', '', search_vector,
                now(), now()
            FROM jobs_jobposting WHERE id = %s
            RETURNING id
            """,
            [template.pk],
        )
        (new_id,) = cursor.fetchone()

    copy = JobPosting.objects.get(pk=new_id)
    assert copy.employer_public is True
    assert copy.employer_ownership == Ownership.FOREIGN
    assert new_id in _public_ids()
