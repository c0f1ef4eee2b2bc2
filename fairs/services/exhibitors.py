"""Employers exhibiting at a fair: they apply from the employer centre, staff of the employer's province (or of
the host centre) decide, approved exhibitors get a booth.

An application names the vacancies the employer brings with the positions each offers at the fair; the
participation's ``positions`` is their sum, which is what the fair's figures count. No booth ever holds two
exhibitors: ``Participation.booth`` is a one-to-one column (a unique index), and every assignment locks the booth
row first, so two staff members racing for one booth get one winner and one clear refusal.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from employers.models import Employer, Membership, MembershipStatus, VerificationState
from employers.services import recruiter_emails
from jobs.models import JobPosting, JobStatus
from jobs.services import job_tag_fair
from talentfair.core.errors import ApplicationError
from talentfair.core.mail import mail_on_commit

from ..models import Booth, ExhibitorStatus, Fair, FairAction, FairState, Offer, Participation, Zone
from ..selectors import exhibitor_scope, participations_for_staff
from .lifecycle import log
from .windows import window_open

# Which states an exhibitor decision may start from (PENDING: applying again after a refusal or a withdrawal).
_ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    ExhibitorStatus.PENDING: (ExhibitorStatus.PENDING, ExhibitorStatus.REJECTED, ExhibitorStatus.WITHDRAWN),
    ExhibitorStatus.APPROVED: (ExhibitorStatus.PENDING, ExhibitorStatus.REJECTED),
    ExhibitorStatus.REJECTED: (ExhibitorStatus.PENDING, ExhibitorStatus.APPROVED),
    ExhibitorStatus.WITHDRAWN: (ExhibitorStatus.PENDING, ExhibitorStatus.APPROVED),
}
_ACTION: dict[str, str] = {
    ExhibitorStatus.PENDING: FairAction.EXHIBITOR_APPLIED,
    ExhibitorStatus.APPROVED: FairAction.EXHIBITOR_APPROVED,
    ExhibitorStatus.REJECTED: FairAction.EXHIBITOR_REJECTED,
    ExhibitorStatus.WITHDRAWN: FairAction.EXHIBITOR_WITHDRAWN,
}
EXHIBITOR_STATES = (FairState.EMPLOYER_OPEN, FairState.GRADUATE_OPEN)
MAX_OFFERS = 30
MAX_POSITIONS = 999
MAX_REPRESENTATIVES = 5
REPRESENTATIVE_MAX_CHARS = 60


def exhibitor_window_open(fair: Fair, *, now: datetime | None = None) -> bool:
    return fair.state in EXHIBITOR_STATES and window_open(
        fair.employer_registration_opens, fair.employer_registration_closes, now=now
    )


def _transition(participation: Participation, target: str) -> str:
    before = participation.status
    if before not in _ALLOWED_FROM[target]:
        raise ApplicationError(
            _("“%(employer)s”的参展报名当前为“%(state)s”，不能执行“%(target)s”。")
            % {
                "employer": participation.employer.name,
                "state": participation.get_status_display(),
                "target": ExhibitorStatus(target).label,
            }
        )
    participation.status = target
    return before


def _require_member(by: User | None, employer: Employer) -> None:
    """``by`` None: the system itself (the demo seed, an import), acting for the employer."""
    if (
        by is not None
        and not Membership.objects.filter(user=by, employer=employer, status=MembershipStatus.ACTIVE).exists()
    ):
        raise PermissionDenied


def _require_scope(by: User | None, participation: Participation) -> None:
    """Staff act on the exhibitors from their own province, the host centre's staff on all of the fair's."""
    if by is None:
        return
    scope = exhibitor_scope(by, participation.fair)
    if scope is None:
        return
    if not scope or participation.employer.city.province_id != scope:
        raise PermissionDenied(_("您只能处理本省参展单位的报名。"))


def _clean_representatives(text: str) -> str:
    lines = [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationError({"representatives": _("请至少填写一位参会人员（姓名 手机号码）。")})
    if len(lines) > MAX_REPRESENTATIVES:
        raise ValidationError({"representatives": _("参会人员最多%(n)d位。") % {"n": MAX_REPRESENTATIVES}})
    if any(len(line) > REPRESENTATIVE_MAX_CHARS for line in lines):
        raise ValidationError(
            {"representatives": _("每位参会人员一行，不超过%(n)d字。") % {"n": REPRESENTATIVE_MAX_CHARS}}
        )
    return "\n".join(lines)


def bringable_jobs(*, fair: Fair, employer: Employer) -> QuerySet[JobPosting]:
    """Vacancies an employer may bring to a fair: its published ones, and its drafts or vacancies in review
    tagged to this fair (new ones made for it)."""
    return JobPosting.objects.filter(employer=employer).filter(
        Q(pk__in=JobPosting.objects.published().filter(employer=employer).values("pk"))
        | Q(fair=fair, status__in=(JobStatus.DRAFT, JobStatus.PENDING, JobStatus.PUBLISHED))
    )


def _clean_offers(*, fair: Fair, employer: Employer, offers: list[tuple[int, int]]) -> list[tuple[JobPosting, int]]:
    wanted = [(job_id, positions) for job_id, positions in offers if positions]
    if not wanted:
        raise ValidationError({"offers": _("请至少选择一个职位并填写招聘人数。")})
    if len(wanted) > MAX_OFFERS:
        raise ValidationError({"offers": _("每家单位最多带%(n)d个职位参展。") % {"n": MAX_OFFERS}})
    if any(not 1 <= positions <= MAX_POSITIONS for _job, positions in wanted):
        raise ValidationError({"offers": _("每个职位的招聘人数应为 1–%(n)d。") % {"n": MAX_POSITIONS}})
    jobs = bringable_jobs(fair=fair, employer=employer).in_bulk([job_id for job_id, _positions in wanted])
    if len(jobs) != len({job_id for job_id, _positions in wanted}):
        raise ValidationError({"offers": _("只能选择本单位已发布的职位，或为本届招聘会新建的职位。")})
    return [(jobs[job_id], positions) for job_id, positions in wanted]


@transaction.atomic
def exhibitor_apply(
    *,
    fair: Fair,
    employer: Employer,
    by: User | None,
    offers: list[tuple[int, int]],
    representatives: str,
    zone_preference: Zone | None = None,
) -> Participation:
    """Apply to exhibit (or change a pending application, or apply again after a refusal or a withdrawal).

    ``offers`` are (vacancy id, positions at the fair). Refused unless the employer is verified, ``by`` is one of
    its recruiters, and the fair's employer registration window is open.
    """
    _require_member(by, employer)
    if employer.verification_state != VerificationState.VERIFIED:
        raise ApplicationError(_("单位通过认证后才能报名参展。"))
    fair = Fair.objects.select_for_update().get(pk=fair.pk)
    if not exhibitor_window_open(fair):
        raise ApplicationError(_("“%(fair)s”当前不在单位报名时间内。") % {"fair": fair.name})
    if zone_preference is not None and zone_preference.fair_id != fair.pk:
        raise ValidationError({"zone_preference": _("请选择本届招聘会的展区。")})
    representatives = _clean_representatives(representatives)
    lines = _clean_offers(fair=fair, employer=employer, offers=offers)
    participation = Participation.objects.select_for_update().filter(fair=fair, employer=employer).first()
    if participation is None:
        participation = Participation(fair=fair, employer=employer, status=ExhibitorStatus.PENDING)
        before = ""
    else:
        if participation.status == ExhibitorStatus.APPROVED:
            raise ApplicationError(_("参展报名已通过审核；如需调整职位或人员，请联系主办方。"))
        before = _transition(participation, ExhibitorStatus.PENDING)
    participation.positions = sum(positions for _job, positions in lines)
    participation.representatives = representatives
    participation.zone_preference = zone_preference
    participation.submitted_by = by
    participation.submitted_at = timezone.now()
    participation.reason = ""
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError:
        raise ApplicationError(_("本单位已报名这场招聘会。")) from None
    participation.offers.all().delete()
    Offer.objects.bulk_create(
        [Offer(participation=participation, job=job, positions=positions) for job, positions in lines]
    )
    log(
        fair=fair,
        action=FairAction.EXHIBITOR_APPLIED,
        by=by,
        participation=participation,
        before=before,
        after="pending",
    )
    return participation


def _lock(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update(of=("self",))
        .select_related("fair", "employer__city", "booth")
        .get(pk=participation.pk)
    )


def _release_booth(participation: Participation, *, by: User | None) -> None:
    if participation.booth is None:
        return
    code = participation.booth.code
    participation.booth = None
    participation.save(update_fields=["booth"])
    log(fair=participation.fair, action=FairAction.BOOTH_RELEASED, by=by, participation=participation, before=code)


def _decide(*, participation: Participation, by: User | None, target: str, reason: str) -> Participation:
    participation = _lock(participation)
    _require_scope(by, participation)
    if participation.fair.state == FairState.FINISHED:
        raise ApplicationError(_("招聘会已结束，参展记录不能再修改。"))
    before = _transition(participation, target)
    if target != ExhibitorStatus.APPROVED:
        _release_booth(participation, by=by)
    participation.reason = reason
    participation.decided_at = timezone.now()
    participation.decided_by = by
    participation.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    log(
        fair=participation.fair,
        action=_ACTION[target],
        by=by,
        participation=participation,
        before=before,
        after=target,
        reason=reason,
    )
    return participation


@transaction.atomic
def exhibitor_approve(*, participation: Participation, by: User | None, reason: str = "") -> Participation:
    """Approve an exhibitor: the vacancies it brings are tagged to the fair (searchable as the fair's), and its
    recruiters are told by mail."""
    participation = _decide(
        participation=participation, by=by, target=ExhibitorStatus.APPROVED, reason=(reason or "").strip()
    )
    for offer in participation.offers.select_related("job__fair"):
        job = offer.job
        # A vacancy names one fair: an untagged one, or one whose earlier fair is over, joins this one.
        free = job.fair is None or job.fair.state == FairState.FINISHED
        if job.fair_id != participation.fair_id and free and job.status not in (JobStatus.CLOSED, JobStatus.EXPIRED):
            job_tag_fair(job=job, fair=participation.fair, by=by)
    _mail(participation, "exhibitor_approved")
    return participation


@transaction.atomic
def exhibitor_reject(*, participation: Participation, by: User | None, reason: str) -> Participation:
    """Refuse (or revoke) an exhibitor with a reason the employer reads; it may correct and apply again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写未通过的原因，单位会看到这段说明。")})
    participation = _decide(participation=participation, by=by, target=ExhibitorStatus.REJECTED, reason=reason)
    _mail(participation, "exhibitor_rejected")
    return participation


@transaction.atomic
def exhibitor_withdraw(*, participation: Participation, by: User | None) -> Participation:
    """The employer takes its application back (before the fair starts); its booth becomes free."""
    participation = _lock(participation)
    _require_member(by, participation.employer)
    if participation.fair.state not in (FairState.DRAFT, *EXHIBITOR_STATES):
        raise ApplicationError(_("招聘会已开始，不能再撤回参展报名。"))
    before = _transition(participation, ExhibitorStatus.WITHDRAWN)
    _release_booth(participation, by=by)
    participation.save(update_fields=["status"])
    log(
        fair=participation.fair,
        action=FairAction.EXHIBITOR_WITHDRAWN,
        by=by,
        participation=participation,
        before=before,
        after=ExhibitorStatus.WITHDRAWN,
    )
    return participation


def _mail(participation: Participation, event: str) -> None:
    mail_on_commit(
        template_prefix=f"fairs/email/{event}",
        context={"participation": participation, "fair": participation.fair},
        to=recruiter_emails(participation.employer),
    )


# --- booths ----------------------------------------------------------------------------------------------------


def _assign(participation: Participation, booth: Booth, *, by: User | None) -> None:
    """Put a locked, approved participation on a booth; the booth row is locked first so racing assignments
    queue up, and the one-to-one column refuses a second holder whatever happens."""
    booth = Booth.objects.select_for_update().select_related("zone").get(pk=booth.pk)
    if booth.fair_id != participation.fair_id:
        raise ApplicationError(_("展位 %(booth)s 不属于这场招聘会。") % {"booth": booth.code})
    holder = Participation.objects.filter(booth=booth).exclude(pk=participation.pk).select_related("employer").first()
    if holder is not None:
        raise ApplicationError(
            _("展位 %(booth)s 已分配给“%(employer)s”。") % {"booth": booth.code, "employer": holder.employer.name}
        )
    before = participation.booth.code if participation.booth is not None else ""
    participation.booth = booth
    try:
        with transaction.atomic():
            participation.save(update_fields=["booth"])
    except IntegrityError:
        raise ApplicationError(_("展位 %(booth)s 刚被分配给其他单位。") % {"booth": booth.code}) from None
    log(
        fair=participation.fair,
        action=FairAction.BOOTH_ASSIGNED,
        by=by,
        participation=participation,
        before=before,
        after=booth.code,
    )


@transaction.atomic
def booth_assign(*, participation: Participation, booth: Booth, by: User | None) -> Participation:
    """Put an approved exhibitor on a booth (a manual move); refused when another exhibitor holds it."""
    participation = _lock(participation)
    _require_scope(by, participation)
    if participation.status != ExhibitorStatus.APPROVED:
        raise ApplicationError(_("只有审核通过的参展单位可以分配展位。"))
    if participation.booth_id == booth.pk:
        return participation
    _assign(participation, booth, by=by)
    return participation


@transaction.atomic
def booth_release(*, participation: Participation, by: User | None) -> Participation:
    participation = _lock(participation)
    _require_scope(by, participation)
    _release_booth(participation, by=by)
    return participation


@dataclass
class Allocation:
    assigned: list[tuple[Participation, Booth]] = field(default_factory=list)
    unplaced: list[Participation] = field(default_factory=list)


def _pick(participation: Participation, free: list[Booth], zone_industries: dict[int, set[str]]) -> Booth | None:
    """The preferred zone first, then a zone meant for the employer's industry, then any free booth; the lowest
    booth code within each."""
    for wanted in (
        lambda booth: booth.zone_id == participation.zone_preference_id,
        lambda booth: participation.employer.industry_id in zone_industries.get(booth.zone_id, set()),
        lambda booth: True,
    ):
        for booth in free:
            if wanted(booth):
                return booth
    return None


@transaction.atomic
def booths_allocate(
    *, fair: Fair, by: User | None, participations: QuerySet[Participation] | None = None
) -> Allocation:
    """Give every approved exhibitor without a booth (of those given, and of those ``by`` acts on: a co-organiser's
    staff place their own province's exhibitors) a free booth, in the order they applied. One allocation runs at a
    time per fair (the fair row is locked); booths taken meanwhile by a manual move are skipped, never shared."""
    fair = Fair.objects.select_for_update().get(pk=fair.pk)
    queryset = participations if participations is not None else Participation.objects.all()
    if by is not None:
        queryset = participations_for_staff(by, queryset)
    waiting = list(
        queryset.filter(fair=fair, status=ExhibitorStatus.APPROVED, booth__isnull=True)
        .select_related("employer__city", "fair")
        .order_by("submitted_at", "id")
    )
    free = list(Booth.objects.filter(fair=fair, participation__isnull=True).select_related("zone").order_by("code"))
    zone_industries: dict[int, set[str]] = {}
    for zone in fair.zones.prefetch_related("industries"):
        zone_industries[zone.pk] = {industry.code for industry in zone.industries.all()}
    result = Allocation()
    for participation in waiting:
        while True:
            booth = _pick(participation, free, zone_industries)
            if booth is None:
                result.unplaced.append(participation)
                break
            free.remove(booth)
            try:
                with transaction.atomic():
                    _assign(_lock(participation), booth, by=by)
            except ApplicationError:
                continue  # taken by a manual move since the list was read: try the next one
            result.assigned.append((participation, booth))
            break
    return result
