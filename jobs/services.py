"""Every write to a vacancy goes through here: views, admin actions, tasks, commands and the API call these.

The lifecycle (DESIGN.md §5): draft → pending review → published → closed | expired; rejected can be edited and
resubmitted; editing a published vacancy's substance sends it back to review. Every step writes a ``JobReview``
audit row; decisions are mailed to the employer's recruiters after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import profile_get
from employers.models import Employer, Membership, MembershipStatus, VerificationState
from talentfair.core.errors import ApplicationError
from talentfair.core.mail import mail_on_commit

from .alerts import describe_query, matching_jobs, normalise_querystring, unsubscribe_url
from .events import events_announce, events_follow
from .models import (
    AlertFrequency,
    Application,
    ApplicationEvent,
    ApplicationSource,
    ApplicationStatus,
    JobPosting,
    JobPostingQuerySet,
    JobReview,
    JobStatus,
    Report,
    ReportStatus,
    ReviewDecision,
    SavedJob,
    SavedSearch,
    VacancyEvent,
    VacancyEventKind,
)
from .search import job_document

if TYPE_CHECKING:  # annotations only: fairs is built on jobs
    from fairs.models import Fair

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


@dataclass(frozen=True)
class Step:
    """One lifecycle step: the states it may start from, the state it leads to, and what a refusal says."""

    sources: tuple[str, ...]
    target: str
    refusal: str | Promise  # translated lazily; may name the vacancy as %(title)s


# The vacancy lifecycle in one table (DESIGN.md §5), as employers.services has the employer's. Every function below
# that moves a vacancy checks and sets its state through ``_move``; the expiry task's UPDATE reads "expire" here.
TRANSITIONS = {
    "submit": Step(
        (JobStatus.DRAFT, JobStatus.REJECTED), JobStatus.PENDING, gettext_lazy("只有草稿或未通过的职位可以提交审核。")
    ),
    "resubmit": Step(
        (JobStatus.PUBLISHED,), JobStatus.PENDING, gettext_lazy("职位“%(title)s”未在发布中。")
    ),  # a substantive edit
    "approve": Step((JobStatus.PENDING,), JobStatus.PUBLISHED, gettext_lazy("职位“%(title)s”不在待审核状态。")),
    "auto_approve": Step((JobStatus.PENDING,), JobStatus.PUBLISHED, gettext_lazy("职位“%(title)s”不在待审核状态。")),
    "reject": Step((JobStatus.PENDING,), JobStatus.REJECTED, gettext_lazy("职位“%(title)s”不在待审核状态。")),
    "unpublish": Step((JobStatus.PUBLISHED,), JobStatus.REJECTED, gettext_lazy("职位“%(title)s”未在发布中。")),
    "close": Step(
        (JobStatus.DRAFT, JobStatus.PENDING, JobStatus.PUBLISHED, JobStatus.REJECTED),
        JobStatus.CLOSED,
        gettext_lazy("职位“%(title)s”已关闭或已过期。"),
    ),
    "renew": Step(
        (JobStatus.PUBLISHED, JobStatus.CLOSED, JobStatus.EXPIRED),
        JobStatus.PUBLISHED,
        gettext_lazy("只有已发布、已关闭或已过期的职位可以续期。"),
    ),
    "expire": Step((JobStatus.PUBLISHED,), JobStatus.EXPIRED, gettext_lazy("职位“%(title)s”未在发布中。")),
}


def _move(job: JobPosting, step: str) -> None:
    """Check that ``job`` (locked by the caller) may take ``step`` from its state, and set the state it leads to."""
    rule = TRANSITIONS[step]
    if job.status not in rule.sources:
        raise ApplicationError(str(rule.refusal) % {"title": job.title})
    job.status = rule.target
    events_announce()  # what follows the vacancy's event (webhooks, alerts) runs as soon as this commits


def _snapshot(job: JobPosting) -> dict:
    return {name: getattr(job, name) for name in SNAPSHOT_FIELDS}


def _audit(
    job: JobPosting, decision: str, *, by: User | None, reason: str = "", snapshot: dict | None = None
) -> JobReview:
    return JobReview.objects.create(job=job, decision=decision, by=by, reason=reason, snapshot=snapshot)


def job_index(*, job: JobPosting) -> None:
    """Write the search vector of one vacancy (called by every write path that changes searchable text)."""
    job.search_vector = job_document(job)  # so a later save() of this instance writes the same vector back
    JobPosting.objects.filter(pk=job.pk).update(search_vector=RawSQL("%s::tsvector", [job.search_vector]))


def jobs_reindex(
    *, queryset: QuerySet | None = None, batch_size: int = 2000, progress: Callable[[int, int], None] | None = None
) -> int:
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
def jobs_follow_employer(*, employer: Employer, changed: set[str]) -> int:
    """An employer's decision or details changed (``employers.services``, ``EMPLOYER_FOLLOWERS``): mark its
    published vacancies changed, in one UPDATE — their public status follows the employer's
    (``api.serializers.public_status_of``), so ``updated_since`` returns them and their events follow — and rebuild
    their search documents when its name changed (the name is part of each). Only published ones are touched: a
    closed, expired or in-review vacancy reads the same whatever the employer's state, and touching one in review
    would move its place in the moderation queue (ordered by ``updated_at``). Returns how many were touched."""
    if "name" in changed:
        jobs_reindex(queryset=JobPosting.objects.filter(employer_id=employer.pk))
    touched = JobPosting.objects.filter(employer_id=employer.pk, status=JobStatus.PUBLISHED).update(
        updated_at=timezone.now()
    )
    if touched:
        events_announce()  # the vacancies' events (hidden, shown, changed) follow as soon as this commits
    return touched


def jobs_transfer(*, from_employer: Employer, to_employer: Employer, by: User | None) -> int:
    """Every vacancy of ``from_employer`` now belongs to ``to_employer`` (staff found the two are one employer): one
    UPDATE, their search documents rebuilt (the employer's name is part of them), their events dispatched. Returns
    how many moved."""
    ids = list(JobPosting.objects.filter(employer=from_employer).values_list("pk", flat=True))
    moved = JobPosting.objects.filter(pk__in=ids)
    count = moved.update(employer=to_employer, updated_at=timezone.now())
    if count:
        jobs_reindex(queryset=moved)
        events_announce()
    return count


def job_save_by_staff(*, job: JobPosting, by: User | None) -> JobPosting:
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
        context={"job": job, "reason": reason},
        to=_recruiter_emails(job),
    )


def _validate(job: JobPosting) -> None:
    job.full_clean(exclude=["search_vector", "employer"])
    if job.valid_through and job.valid_through > timezone.now() + timedelta(days=MAX_VALID_DAYS):
        raise ValidationError({"valid_through": _("有效期最长为%(days)d天") % {"days": MAX_VALID_DAYS}})


@transaction.atomic
def job_create(*, employer: Employer, by: User | None, **fields: Any) -> JobPosting:
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
def job_update(*, job: JobPosting, by: User | None, **fields: Any) -> JobPosting:
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
        _move(job, "resubmit")
        job.save()
        _audit(job, ReviewDecision.RESUBMITTED, by=by)
        _auto_approve_if_trusted(job)
    else:
        job.save()
        events_announce()
    job_index(job=job)
    return job


def job_tag_fair(*, job: JobPosting, fair: Fair, by: User | None) -> JobPosting:
    """Bring a vacancy to a fair (its employer was approved to exhibit there): an edit of ``fair`` alone, which
    never sends a published vacancy back to review."""
    return job_update(job=job, by=by, fair=fair)


def _require_verified_employer(job: JobPosting) -> None:
    if job.employer.verification_state != VerificationState.VERIFIED:
        raise ApplicationError(_("单位通过认证后才能提交职位审核。"))


@transaction.atomic
def job_submit(*, job: JobPosting, by: User | None) -> JobPosting:
    """Send a draft or a rejected vacancy to review (trusted employers' vacancies are approved at once)."""
    job = JobPosting.objects.select_for_update().select_related("employer").get(pk=job.pk)
    _move(job, "submit")
    _require_verified_employer(job)
    job.rejection_reason = ""
    job.save(update_fields=["status", "rejection_reason", "updated_at"])
    _audit(job, ReviewDecision.SUBMITTED, by=by)
    _auto_approve_if_trusted(job)
    return job


def _auto_approve_if_trusted(job: JobPosting) -> None:
    if job.employer.is_trusted and job.employer.verification_state == VerificationState.VERIFIED:
        _publish(job, by=None, decision=ReviewDecision.AUTO_APPROVED, step="auto_approve")


def _publish(job: JobPosting, *, by: User | None, decision: str, reason: str = "", step: str = "approve") -> None:
    now = timezone.now()
    _move(job, step)
    job.rejection_reason = ""
    job.published_at = job.published_at or now
    if job.valid_through is None or job.valid_through < now:
        job.valid_through = now + timedelta(days=settings.VACANCY_DEFAULT_VALID_DAYS)
    job.save(update_fields=["status", "rejection_reason", "published_at", "valid_through", "updated_at"])
    _audit(job, decision, by=by, reason=reason, snapshot=_jsonable(_snapshot(job)))
    _notify_employer(job, "job_approved", reason)


def approved_snapshot(job: JobPosting) -> dict:
    """The JSON snapshot an approval stores (what a later resubmission is compared with)."""
    return _jsonable(_snapshot(job))


def _jsonable(snapshot: dict) -> dict:
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in snapshot.items()}


def _lock(job: JobPosting) -> JobPosting:
    return JobPosting.objects.select_for_update().select_related("employer").get(pk=job.pk)


@transaction.atomic
def job_approve(*, job: JobPosting, by: User | None, reason: str = "") -> JobPosting:
    job = _lock(job)
    _publish(job, by=by, decision=ReviewDecision.APPROVED, reason=reason)
    return job


@transaction.atomic
def job_reject(*, job: JobPosting, by: User | None, reason: str, changes_requested: bool = False) -> JobPosting:
    """Refuse a pending vacancy with a reason the employer sees; they may edit and resubmit it."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写未通过的原因。")})
    job = _lock(job)
    _move(job, "reject")
    job.rejection_reason = reason.strip()
    job.save(update_fields=["status", "rejection_reason", "updated_at"])
    decision = ReviewDecision.CHANGES_REQUESTED if changes_requested else ReviewDecision.REJECTED
    _audit(job, decision, by=by, reason=job.rejection_reason)
    _notify_employer(job, "job_changes_requested" if changes_requested else "job_rejected", job.rejection_reason)
    return job


@transaction.atomic
def job_unpublish(*, job: JobPosting, by: User | None, reason: str) -> JobPosting:
    """Staff take a published vacancy down (e.g. after a report); the employer may fix and resubmit it."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写下架原因。")})
    job = _lock(job)
    _move(job, "unpublish")
    job.rejection_reason = reason.strip()
    job.save(update_fields=["status", "rejection_reason", "updated_at"])
    _audit(job, ReviewDecision.UNPUBLISHED, by=by, reason=job.rejection_reason)
    _notify_employer(job, "job_unpublished", job.rejection_reason)
    return job


@transaction.atomic
def job_close(*, job: JobPosting, by: User | None) -> JobPosting:
    job = JobPosting.objects.select_for_update().get(pk=job.pk)
    if job.status in (JobStatus.CLOSED, JobStatus.EXPIRED):
        return job  # closing twice is no error: it is closed
    _move(job, "close")
    job.closed_at = timezone.now()
    job.save(update_fields=["status", "closed_at", "updated_at"])
    _audit(job, ReviewDecision.CLOSED, by=by)
    return job


@transaction.atomic
def job_renew(*, job: JobPosting, by: User | None, days: int | None = None) -> JobPosting:
    """Extend ``valid_through``; a closed or expired vacancy is published again (or sent to review if it never was)."""
    days = days or settings.VACANCY_DEFAULT_VALID_DAYS
    if not 1 <= days <= MAX_VALID_DAYS:
        raise ValidationError({"days": _("续期天数应在1到%(max)d天之间") % {"max": MAX_VALID_DAYS}})
    job = _lock(job)
    _move(job, "renew")
    _require_verified_employer(job)
    job.valid_through = timezone.now() + timedelta(days=days)
    job.closed_at = None
    job.save(update_fields=["valid_through", "status", "closed_at", "updated_at"])
    _audit(job, ReviewDecision.RENEWED, by=by)
    return job


@dataclass(frozen=True)
class BulkResult:
    done: int
    refused: list[str]


def jobs_decide(*, jobs: Iterable[JobPosting], by: User | None, decision: str, reason: str = "") -> BulkResult:
    """Approve, reject, request changes to or unpublish many vacancies with one reason.

    Each vacancy is its own decision (own transaction, audit row and e-mail); those the rule refuses are listed.
    """
    if decision != ReviewDecision.APPROVED and not (reason or "").strip():
        raise ValidationError({"reason": _("请填写原因。")})
    done, refused = 0, []
    for job in jobs:
        try:
            if decision == ReviewDecision.APPROVED:
                job_approve(job=job, by=by, reason=reason)
            elif decision == ReviewDecision.UNPUBLISHED:
                job_unpublish(job=job, by=by, reason=reason)
            else:
                job_reject(
                    job=job, by=by, reason=reason, changes_requested=decision == ReviewDecision.CHANGES_REQUESTED
                )
            done += 1
        except (ApplicationError, ValidationError) as error:
            refused.append(f"{job.title}: {getattr(error, 'message', error)}")
    return BulkResult(done=done, refused=refused)


# --- reports ("report this vacancy") -------------------------------------------------------------------------------

REPORT_RATE_LIMIT = 5  # reports per user …
REPORT_RATE_WINDOW = 3600  # … per hour (seconds), counted in the shared Redis cache


def _report_rate_key(user: User) -> str:
    return f"jobs:report-rate:{user.pk}"


def report_create(*, job: JobPosting, reporter: User, reason: str, details: str = "") -> Report:
    """A logged-in user reports a vacancy. One open report per user and vacancy; a few reports an hour per user."""
    if not getattr(reporter, "is_authenticated", False):
        raise ApplicationError(_("请先登录再举报。"))
    report = Report(job=job, reporter=reporter, reason=reason, details=(details or "").strip())
    report.full_clean(exclude=["job", "reporter", "status"])
    if Report.objects.filter(job=job, reporter=reporter, status=ReportStatus.OPEN).exists():
        raise ApplicationError(_("您已举报过该职位，工作人员正在处理。"))
    key = _report_rate_key(reporter)
    cache.add(key, 0, timeout=REPORT_RATE_WINDOW)
    if cache.incr(key) > REPORT_RATE_LIMIT:
        raise ApplicationError(_("举报过于频繁，请稍后再试。"))
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same user's second click raced the first
        raise ApplicationError(_("您已举报过该职位，工作人员正在处理。")) from None
    return report


def _lock_open_report(report: Report) -> Report:
    report = Report.objects.select_for_update().select_related("job").get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise ApplicationError(_("该举报已处理。"))
    return report


@transaction.atomic
def report_resolve(*, report: Report, by: User | None, resolution: str, unpublish: bool = False) -> Report:
    """Close a report as upheld; with ``unpublish`` the vacancy is taken down (``job_unpublish``) with the resolution
    as the reason the employer sees."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写处理说明。")})
    report = _lock_open_report(report)
    if unpublish and report.job.status == JobStatus.PUBLISHED:
        # A vacancy already taken down (e.g. after an earlier report) stays down; the report is still resolved.
        job_unpublish(job=report.job, by=by, reason=resolution)
        report.job_unpublished = True
    report.status = ReportStatus.RESOLVED
    report.resolution = resolution
    report.resolved_by = by
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolution", "job_unpublished", "resolved_by", "resolved_at"])
    return report


@transaction.atomic
def report_dismiss(*, report: Report, by: User | None, resolution: str) -> Report:
    """Close a report without action (the vacancy is fine), saying why."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写不予处理的原因。")})
    report = _lock_open_report(report)
    report.status = ReportStatus.DISMISSED
    report.resolution = resolution
    report.resolved_by = by
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    return report


# --- expiry (Celery beat) ------------------------------------------------------------------------------------------

EXPIRY_REMINDER_DAYS = 3


def jobs_expire(*, now: datetime | None = None) -> list[int]:
    """Published vacancies past ``valid_through`` become expired, each with an audit row. Returns their ids.

    One ``UPDATE … WHERE status = 'published' … RETURNING id``: running it twice, even at the same moment, expires
    each vacancy once — the second statement waits for the first one's row locks, re-checks the WHERE clause and
    skips rows that are no longer published, so it returns (and audits) none of them.
    """
    now = now or timezone.now()
    table = JobPosting._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, updated_at = %s "  # noqa: S608 (table name from model meta)
                "WHERE status = ANY(%s) AND valid_through < %s RETURNING id",
                [TRANSITIONS["expire"].target, now, list(TRANSITIONS["expire"].sources), now],
            )
            ids = [row[0] for row in cursor.fetchall()]
        JobReview.objects.bulk_create(
            [JobReview(job_id=pk, decision=ReviewDecision.EXPIRED, at=now, reason=_("超过有效期")) for pk in ids],
            batch_size=1000,
        )
        if ids:
            events_announce()
    return ids


def jobs_remind_expiring(*, now: datetime | None = None, days: int = EXPIRY_REMINDER_DAYS) -> list[int]:
    """Mail employers about their own vacancies that expire within ``days``, once per vacancy and validity period.

    The marker ``expiry_reminded_for`` holds the ``valid_through`` a reminder was sent for; one UPDATE sets it and
    returns only the rows it changed, so concurrent runs never mail twice, and a renewed vacancy is reminded again.
    Vacancies from partner feeds are skipped: their centre, not the employer, keeps them current.
    """
    now = now or timezone.now()
    table = JobPosting._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET expiry_reminded_for = valid_through "  # noqa: S608 (table name from model meta)
                "WHERE status = %s AND source_id IS NULL AND valid_through >= %s AND valid_through < %s "
                "AND expiry_reminded_for IS DISTINCT FROM valid_through RETURNING id",
                [JobStatus.PUBLISHED, now, now + timedelta(days=days)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        by_employer: dict[int, list[JobPosting]] = {}
        for job in JobPosting.objects.filter(pk__in=ids).select_related("employer").order_by("valid_through"):
            by_employer.setdefault(job.employer_id, []).append(job)
        for jobs in by_employer.values():
            mail_on_commit(
                template_prefix="jobs/email/jobs_expiring",
                context={"employer": jobs[0].employer, "jobs": jobs},
                to=_recruiter_emails(jobs[0]),
            )
    return ids


# ---------------------------------------------------------------------------------------------------------------
# Applications, saved vacancies and saved searches (issue 4).
#
# Pipeline: submitted → viewed → interview → offer | rejected. A recruiter may move an application to any of
# viewed / interview / offer / rejected (also back, to correct a mistake) but never to "submitted", and never
# touch a withdrawn one; every move is an ApplicationEvent the graduate sees, and mails the graduate. The graduate
# may withdraw until the application is rejected. One application per graduate per vacancy, withdrawn included.
# ---------------------------------------------------------------------------------------------------------------

RECRUITER_STATUSES = (
    ApplicationStatus.VIEWED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
    ApplicationStatus.REJECTED,
)
COVER_NOTE_MAX = 2000
NOTE_MAX = 2000


def _is_active_member(user: User, employer_id: int) -> bool:
    return Membership.objects.filter(user=user, employer_id=employer_id, status=MembershipStatus.ACTIVE).exists()


def application_apply(
    *, job: JobPosting, graduate: User, cover_note: str = "", fair: Fair | None = None
) -> Application:
    """One-step apply. Refused (nothing created) for a closed or expired vacancy, a second application, or a
    profile without a résumé, name or mobile number. ``fair``: applied through that fair's guide (the vacancy must
    be one the fair offers); the fair's report counts it."""
    cover_note = (cover_note or "").strip()
    if len(cover_note) > COVER_NOTE_MAX:
        raise ValidationError({"cover_note": _("附言不能超过%(n)d字") % {"n": COVER_NOTE_MAX}})
    profile = profile_get(user=graduate)
    if not profile.has_resume:
        raise ApplicationError(_("请先上传简历（PDF）再申请。"), extra={"missing": "resume"})
    if not (profile.name and profile.mobile):
        raise ApplicationError(_("请先在个人资料中填写姓名和手机号码再申请。"), extra={"missing": "profile"})
    if fair is not None and job.fair_id != fair.pk:
        fair = None  # not one of that fair's vacancies: an ordinary application
    return _application_create(
        job=job, graduate=graduate, by=graduate, cover_note=cover_note, source=ApplicationSource.ONLINE, fair=fair
    )


def application_collect_at_fair(
    *, job: JobPosting, graduate: User, fair: Fair, by: User | None, booth: str
) -> tuple[Application, bool]:
    """A recruiter at the fair's booth receives a graduate's résumé (their ticket was read at the booth): an
    application with source "fair" that the graduate follows in 我的申请. Returns (application, created); a second
    collection for the same vacancy returns the existing application."""
    existing = Application.objects.filter(job=job, graduate=graduate).first()
    if existing is not None:
        return existing, False
    try:
        application = _application_create(
            job=job,
            graduate=graduate,
            by=by,
            cover_note="",
            source=ApplicationSource.FAIR,
            fair=fair,
            note=_("%(fair)s 现场投递（展位 %(booth)s）") % {"fair": fair.name, "booth": booth},
        )
    except ApplicationError as error:
        if error.extra.get("duplicate"):
            return Application.objects.get(job=job, graduate=graduate), False
        raise
    return application, True


def _application_create(
    *, job: JobPosting, graduate: User, by: User | None, cover_note: str, source: str, fair: Fair | None, note: str = ""
) -> Application:
    try:
        with transaction.atomic():
            job = (
                JobPosting.objects.published().select_for_update(of=("self",)).select_related("employer").get(pk=job.pk)
            )
            if Application.objects.filter(job=job, graduate=graduate).exists():
                raise ApplicationError(_("您已申请过该职位。"), extra={"duplicate": True})
            application = Application.objects.create(
                job=job, graduate=graduate, cover_note=cover_note, source=source, fair=fair
            )
            ApplicationEvent.objects.create(
                application=application, status=ApplicationStatus.SUBMITTED, by=by, note=note
            )
            mail_on_commit(
                template_prefix="jobs/email/application_received",
                context={
                    "job": job,
                    "application": application,
                    "profile": profile_get(user=graduate),
                },
                to=_recruiter_emails(job),
            )
    except JobPosting.DoesNotExist:
        raise ApplicationError(_("该职位已停止招聘，无法申请。")) from None
    except IntegrityError:
        raise ApplicationError(_("您已申请过该职位。"), extra={"duplicate": True}) from None
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.graduate_id != by.pk:
        raise PermissionDenied
    if application.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED):
        raise ApplicationError(_("该申请已结束，无法撤回。"))
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    ApplicationEvent.objects.create(application=application, status=ApplicationStatus.WITHDRAWN, by=by)
    return application


@transaction.atomic
def application_move(*, application: Application, by: User, status: str, note: str = "") -> Application:
    """A recruiter of the vacancy's employer moves the application; the graduate sees the step and gets an e-mail."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("job__employer", "graduate")
        .get(pk=application.pk)
    )
    if not _is_active_member(by, application.job.employer_id):
        raise PermissionDenied
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("说明不能超过%(n)d字") % {"n": NOTE_MAX}})
    if status not in RECRUITER_STATUSES:
        raise ValidationError({"status": _("无效的状态")})
    if application.status == ApplicationStatus.WITHDRAWN:
        raise ApplicationError(_("求职者已撤回该申请。"))
    if application.status == status:
        raise ApplicationError(_("申请已处于“%(status)s”状态。") % {"status": application.get_status_display()})
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    event = ApplicationEvent.objects.create(application=application, status=status, note=note, by=by)
    mail_on_commit(
        template_prefix="jobs/email/application_status_changed",
        context={"application": application, "job": application.job, "event": event},
        to=[application.graduate.email],
    )
    return application


def saved_job_toggle(*, user: User, job: JobPosting) -> bool:
    """Save a vacancy, or un-save it if it was saved. Returns whether it is saved now. Only an open vacancy can be
    saved (``published()``); one saved before it closed can always be un-saved."""
    deleted, _rows = SavedJob.objects.filter(user=user, job=job).delete()
    if deleted:
        return False
    if not JobPosting.objects.published().filter(pk=job.pk).exists():
        raise ApplicationError(_("该职位已停止招聘，无法收藏。"))
    SavedJob.objects.get_or_create(user=user, job=job)
    return True


SAVED_SEARCH_LIMIT = 20
ALERT_MAX_JOBS = 30
# Alerts look only at vacancies published at least this long ago, so one approved in a transaction that has not
# committed yet when the alert runs is picked up by the next run instead of falling behind the high-water mark.
ALERT_SETTLE = timedelta(minutes=2)


def saved_search_create(*, user: User, querystring: str, name: str = "", frequency: str = "daily") -> SavedSearch:
    querystring = normalise_querystring(querystring)
    if frequency not in AlertFrequency.values:
        raise ValidationError({"frequency": _("无效的提醒频率")})
    if not querystring:
        raise ValidationError({"querystring": _("请先设置搜索条件再保存。")})
    if len(querystring) > (SavedSearch._meta.get_field("querystring").max_length or len(querystring)):
        raise ValidationError({"querystring": _("搜索条件太长。")})
    with transaction.atomic():
        existing = SavedSearch.objects.select_for_update().filter(user=user, querystring=querystring).first()
        if existing:
            existing.frequency = frequency
            existing.is_active = True
            existing.save(update_fields=["frequency", "is_active"])
            return existing
        if SavedSearch.objects.filter(user=user).count() >= SAVED_SEARCH_LIMIT:
            raise ApplicationError(_("最多保存%(n)d个搜索，请先删除不用的。") % {"n": SAVED_SEARCH_LIMIT})
        name = (name or "").strip()[:100] or describe_query(querystring)[:100]
        return SavedSearch.objects.create(user=user, querystring=querystring, name=name, frequency=frequency)


@transaction.atomic
def saved_search_update(*, search: SavedSearch, frequency: str, is_active: bool) -> SavedSearch:
    if frequency not in AlertFrequency.values:
        raise ValidationError({"frequency": _("无效的提醒频率")})
    search = SavedSearch.objects.select_for_update().get(pk=search.pk)
    if is_active and not search.is_active:
        search.last_seen_at = timezone.now()  # no flood of everything published while it was off
    search.frequency = frequency
    search.is_active = is_active
    search.save(update_fields=["frequency", "is_active", "last_seen_at"])
    return search


def saved_search_delete(*, search: SavedSearch) -> None:
    search.delete()


def saved_search_unsubscribe(*, search: SavedSearch) -> SavedSearch:
    SavedSearch.objects.filter(pk=search.pk).update(is_active=False)
    search.is_active = False
    return search


def _mail_alert(search: SavedSearch, found: JobPostingQuerySet, *, now: datetime) -> int:
    """Mail ``search``'s owner the newest of ``found`` (at most ``ALERT_MAX_JOBS``) once the transaction commits."""
    total = found.count()
    jobs = list(found.with_related().order_by("-published_at", "-id")[:ALERT_MAX_JOBS])
    if not jobs or not search.user.is_active:
        return 0
    search.last_sent_at = now
    mail_on_commit(
        template_prefix="jobs/email/search_alert",
        context={
            "search": search,
            "jobs": jobs,
            "total": total,
            "more": total - len(jobs),
            "unsubscribe_url": unsubscribe_url(search),
        },
        to=[search.user.email],
    )
    return len(jobs)


def saved_search_send_alert(*, search: SavedSearch, now: datetime | None = None) -> int:
    """The daily digest: mail the vacancies that matched since the high-water mark, then move the mark. Returns the
    number mailed.

    Idempotent: the row is locked and the mark moves in the same transaction, so a repeated or concurrent run
    mails nothing twice.
    """
    now = now or timezone.now()
    upper = now - ALERT_SETTLE
    with transaction.atomic():
        locked = (
            SavedSearch.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=search.pk, is_active=True)
            .first()
        )
        if locked is None or upper <= locked.last_seen_at:
            return 0
        found = matching_jobs(locked.querystring).filter(published_at__gt=locked.last_seen_at, published_at__lte=upper)
        mailed = _mail_alert(locked, found, now=now)
        locked.last_seen_at = upper
        locked.save(update_fields=["last_seen_at", "last_sent_at"])
        return mailed


INSTANT_ALERTS = "alerts.instant"  # the instant alerts' cursor in the vacancy event stream
# "New" for an instant alert: published this recently (a stream read from further back — a restored backup, the
# outbox's backfill — does not mail old vacancies as new).
INSTANT_ALERT_MAX_AGE = timedelta(days=1)


def saved_searches_alert_instant(*, top: int = 0) -> int:
    """Instant alerts, as a consumer of the vacancy events (``VACANCY_EVENT_CONSUMERS``): each vacancy made public
    for the first time is matched against every active "at once" saved search when its event is dispatched —
    seconds after the approval or import commits — and mailed to the searches it matches. The cursor moves in the
    same transaction as the mails are queued, so each new vacancy is mailed to a search once. Returns the number of
    events read."""
    return events_follow(INSTANT_ALERTS, _alert_instant_searches)


def _alert_instant_searches(events: list[VacancyEvent]) -> None:
    new = {event.job_id for event in events if event.kind == VacancyEventKind.CREATED}
    if not new:
        return
    now = timezone.now()
    searches = SavedSearch.objects.select_for_update().select_related("user")
    for search in searches.filter(frequency=AlertFrequency.INSTANT, is_active=True, user__is_active=True):
        found = matching_jobs(search.querystring).filter(pk__in=new, published_at__gte=now - INSTANT_ALERT_MAX_AGE)
        if _mail_alert(search, found, now=now):
            search.last_seen_at = now  # a switch to the daily digest later does not mail these again
            search.save(update_fields=["last_seen_at", "last_sent_at"])
