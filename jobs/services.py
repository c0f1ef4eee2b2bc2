"""Every write to a vacancy goes through here: views, admin actions, tasks, commands and the API call these.

The lifecycle (DESIGN.md §5): draft → pending review → published → closed | expired; rejected can be edited and
resubmitted; editing a published vacancy's substance sends it back to review. Every step writes a ``JobReview``
audit row; decisions are mailed to the employer's recruiters after the transaction commits.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from difflib import SequenceMatcher

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import MembershipStatus, VerificationState
from talentfair.core.errors import ApplicationError
from talentfair.core.mail import mail_on_commit

from .models import JobPosting, JobReview, JobStatus, ReviewDecision
from .search import job_document

# Changing any of these on a published vacancy sends it back to review.
SUBSTANTIVE_FIELDS = (
    "title",
    "category",
    "city_id",
    "address",
    "industry_id",
    "employment_type",
    "education",
    "experience",
    "salary_min",
    "salary_max",
    "salary_months",
    "salary_negotiable",
    "salary_text",
    "fresh_graduate",
    "cohort",
)
# A description edit that keeps this much of the text (difflib ratio) is a correction, not a new vacancy.
DESCRIPTION_CORRECTION_RATIO = 0.9
EDITABLE_FIELDS = (*SUBSTANTIVE_FIELDS, "description", "tags", "headcount", "valid_through", "fair_id")
SNAPSHOT_FIELDS = (*SUBSTANTIVE_FIELDS, "description", "tags", "headcount")
MAX_VALID_DAYS = 180


def _snapshot(job: JobPosting) -> dict:
    return {name: getattr(job, name) for name in SNAPSHOT_FIELDS}


def _audit(job: JobPosting, decision: str, *, by, reason: str = "", snapshot: dict | None = None) -> JobReview:
    return JobReview.objects.create(job=job, decision=decision, by=by, reason=reason, snapshot=snapshot)


def job_index(*, job: JobPosting) -> None:
    """Write the search vector of one vacancy (called by every write path that changes searchable text)."""
    job.search_vector = job_document(job)  # so a later save() of this instance writes the same vector back
    JobPosting.objects.filter(pk=job.pk).update(search_vector=RawSQL("%s::tsvector", [job.search_vector]))


def jobs_reindex(*, queryset=None, batch_size: int = 2000, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the search vectors of many vacancies (all by default), a batch per statement; returns the count.

    For bulk writers: ``manage.py rebuild_search_index``, feed imports after a bulk upsert, and employer renames
    (an employer's name is part of each of its vacancies' documents).
    """
    queryset = JobPosting.objects.all() if queryset is None else queryset
    ids = queryset.order_by("pk").values_list("pk", flat=True)
    total = queryset.count()
    done = 0
    last = 0
    while True:
        batch = list(
            JobPosting.objects.filter(pk__in=list(ids.filter(pk__gt=last)[:batch_size]))
            .select_related("employer", "city__province", "industry")
            .order_by("pk")
        )
        if not batch:
            break
        rows = [(job.pk, job_document(job)) for job in batch]
        with connection.cursor() as cursor:
            values = ", ".join(["(%s, %s::tsvector)"] * len(rows))
            cursor.execute(
                f"UPDATE {JobPosting._meta.db_table} AS j SET search_vector = v.doc "  # noqa: S608 - fixed identifiers
                f"FROM (VALUES {values}) AS v(id, doc) WHERE j.id = v.id",
                [value for row in rows for value in row],
            )
        done += len(batch)
        last = batch[-1].pk
        if progress:
            progress(done, total)
    return done


@transaction.atomic
def job_save_by_staff(*, job: JobPosting, by) -> JobPosting:
    """The admin's save path: validate, save the vacancy as staff edited it, and keep its search vector current.

    The admin's ``save_model`` calls this (lifecycle decisions stay with ``job_approve`` and friends).
    """
    _validate(job)
    job.save()
    job_index(job=job)
    return job


def _recruiter_emails(job: JobPosting) -> list[str]:
    members = job.employer.memberships.filter(status=MembershipStatus.ACTIVE).select_related("user")
    emails = {m.user.email for m in members}
    if not emails and job.employer.contact_email:
        emails.add(job.employer.contact_email)
    return sorted(emails)


def _notify_employer(job: JobPosting, event: str, reason: str = "") -> None:
    mail_on_commit(
        template_prefix=f"jobs/email/{event}",
        context={"job": job, "reason": reason, "site_url": settings.SITE_URL},
        to=_recruiter_emails(job),
    )


def _validate(job: JobPosting) -> None:
    job.full_clean(exclude=["search_vector", "employer"])
    if job.valid_through and job.valid_through > timezone.now() + timedelta(days=MAX_VALID_DAYS):
        raise ValidationError({"valid_through": _("有效期最长为%(days)d天") % {"days": MAX_VALID_DAYS}})


@transaction.atomic
def job_create(*, employer, by, **fields) -> JobPosting:
    """A new vacancy, saved as a draft."""
    unknown = set(fields) - {name.removesuffix("_id") for name in EDITABLE_FIELDS} - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    job = JobPosting(employer=employer, status=JobStatus.DRAFT, **fields)
    _validate(job)
    job.save()
    job_index(job=job)
    return job


def is_substantive_change(before: dict, job: JobPosting) -> bool:
    if any(before[name] != getattr(job, name) for name in SUBSTANTIVE_FIELDS):
        return True
    ratio = SequenceMatcher(None, before["description"] or "", job.description or "").ratio()
    return ratio < DESCRIPTION_CORRECTION_RATIO


@transaction.atomic
def job_update(*, job: JobPosting, by, **fields) -> JobPosting:
    """Edit a vacancy. A published one whose substance changed goes back to review (see ``is_substantive_change``)."""
    job = JobPosting.objects.select_for_update().get(pk=job.pk)
    if job.status in (JobStatus.CLOSED, JobStatus.EXPIRED):
        raise ApplicationError(_("已关闭或过期的职位不能修改，请先续期。"))
    before = _snapshot(job)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS and f"{name}_id" not in EDITABLE_FIELDS:
            raise ValueError(f"Not editable: {name}")
        setattr(job, name, value)
    _validate(job)
    if job.status == JobStatus.PUBLISHED and is_substantive_change(before, job):
        job.status = JobStatus.PENDING
        job.save()
        _audit(job, ReviewDecision.RESUBMITTED, by=by)
        _auto_approve_if_trusted(job)
    else:
        job.save()
    job_index(job=job)
    return job


def _require_verified_employer(job: JobPosting) -> None:
    if job.employer.verification_state != VerificationState.VERIFIED:
        raise ApplicationError(_("单位通过认证后才能提交职位审核。"))


@transaction.atomic
def job_submit(*, job: JobPosting, by) -> JobPosting:
    """Send a draft or a rejected vacancy to review (trusted employers' vacancies are approved at once)."""
    job = JobPosting.objects.select_for_update().select_related("employer").get(pk=job.pk)
    if job.status not in (JobStatus.DRAFT, JobStatus.REJECTED):
        raise ApplicationError(_("只有草稿或未通过的职位可以提交审核。"))
    _require_verified_employer(job)
    job.status = JobStatus.PENDING
    job.rejection_reason = ""
    job.save(update_fields=["status", "rejection_reason", "updated_at"])
    _audit(job, ReviewDecision.SUBMITTED, by=by)
    _auto_approve_if_trusted(job)
    return job


def _auto_approve_if_trusted(job: JobPosting) -> None:
    if job.employer.is_trusted and job.employer.verification_state == VerificationState.VERIFIED:
        _publish(job, by=None, decision=ReviewDecision.AUTO_APPROVED)


def _publish(job: JobPosting, *, by, decision: str, reason: str = "") -> None:
    now = timezone.now()
    job.status = JobStatus.PUBLISHED
    job.rejection_reason = ""
    job.published_at = job.published_at or now
    if job.valid_through is None or job.valid_through < now:
        job.valid_through = now + timedelta(days=settings.VACANCY_DEFAULT_VALID_DAYS)
    job.save(update_fields=["status", "rejection_reason", "published_at", "valid_through", "updated_at"])
    _audit(job, decision, by=by, reason=reason, snapshot=_jsonable(_snapshot(job)))
    _notify_employer(job, "job_approved", reason)


def _jsonable(snapshot: dict) -> dict:
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in snapshot.items()}


def _lock_pending(job: JobPosting) -> JobPosting:
    job = JobPosting.objects.select_for_update().select_related("employer").get(pk=job.pk)
    if job.status != JobStatus.PENDING:
        raise ApplicationError(_("职位“%(title)s”不在待审核状态。") % {"title": job.title})
    return job


@transaction.atomic
def job_approve(*, job: JobPosting, by, reason: str = "") -> JobPosting:
    job = _lock_pending(job)
    _publish(job, by=by, decision=ReviewDecision.APPROVED, reason=reason)
    return job


@transaction.atomic
def job_reject(*, job: JobPosting, by, reason: str, changes_requested: bool = False) -> JobPosting:
    """Refuse a pending vacancy with a reason the employer sees; they may edit and resubmit it."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写未通过的原因。")})
    job = _lock_pending(job)
    job.status = JobStatus.REJECTED
    job.rejection_reason = reason.strip()
    job.save(update_fields=["status", "rejection_reason", "updated_at"])
    decision = ReviewDecision.CHANGES_REQUESTED if changes_requested else ReviewDecision.REJECTED
    _audit(job, decision, by=by, reason=job.rejection_reason)
    _notify_employer(job, "job_changes_requested" if changes_requested else "job_rejected", job.rejection_reason)
    return job


@transaction.atomic
def job_unpublish(*, job: JobPosting, by, reason: str) -> JobPosting:
    """Staff take a published vacancy down (e.g. after a report); the employer may fix and resubmit it."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写下架原因。")})
    job = JobPosting.objects.select_for_update().select_related("employer").get(pk=job.pk)
    if job.status != JobStatus.PUBLISHED:
        raise ApplicationError(_("职位“%(title)s”未在发布中。") % {"title": job.title})
    job.status = JobStatus.REJECTED
    job.rejection_reason = reason.strip()
    job.save(update_fields=["status", "rejection_reason", "updated_at"])
    _audit(job, ReviewDecision.UNPUBLISHED, by=by, reason=job.rejection_reason)
    _notify_employer(job, "job_unpublished", job.rejection_reason)
    return job


@transaction.atomic
def job_close(*, job: JobPosting, by) -> JobPosting:
    job = JobPosting.objects.select_for_update().get(pk=job.pk)
    if job.status in (JobStatus.CLOSED, JobStatus.EXPIRED):
        return job
    job.status = JobStatus.CLOSED
    job.closed_at = timezone.now()
    job.save(update_fields=["status", "closed_at", "updated_at"])
    _audit(job, ReviewDecision.CLOSED, by=by)
    return job


@transaction.atomic
def job_renew(*, job: JobPosting, by, days: int | None = None) -> JobPosting:
    """Extend ``valid_through``; a closed or expired vacancy is published again (or sent to review if it never was)."""
    days = days or settings.VACANCY_DEFAULT_VALID_DAYS
    if not 1 <= days <= MAX_VALID_DAYS:
        raise ValidationError({"days": _("续期天数应在1到%(max)d天之间") % {"max": MAX_VALID_DAYS}})
    job = JobPosting.objects.select_for_update().select_related("employer").get(pk=job.pk)
    if job.status not in (JobStatus.PUBLISHED, JobStatus.CLOSED, JobStatus.EXPIRED):
        raise ApplicationError(_("只有已发布、已关闭或已过期的职位可以续期。"))
    _require_verified_employer(job)
    job.valid_through = timezone.now() + timedelta(days=days)
    job.status = JobStatus.PUBLISHED
    job.closed_at = None
    job.save(update_fields=["valid_through", "status", "closed_at", "updated_at"])
    _audit(job, ReviewDecision.RENEWED, by=by)
    return job


@dataclass(frozen=True)
class BulkResult:
    done: int
    refused: list[str]


def jobs_decide(*, jobs, by, decision: str, reason: str = "") -> BulkResult:
    """Approve or reject many pending vacancies with one reason; each is its own decision and audit row."""
    done, refused = 0, []
    for job in jobs:
        try:
            if decision == ReviewDecision.APPROVED:
                job_approve(job=job, by=by, reason=reason)
            else:
                job_reject(job=job, by=by, reason=reason)
            done += 1
        except (ApplicationError, ValidationError) as error:
            refused.append(f"{job.title}: {getattr(error, 'message', error)}")
    return BulkResult(done=done, refused=refused)
