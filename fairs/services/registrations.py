"""Graduates at a fair: registration in one step (qualifications, capacity with a waitlist), the e-ticket, check-in
at the door, and the résumé a recruiter receives at a booth.

Capacity is enforced under the fair row's lock: registrations and cancellations of one fair queue up on it, so the
last place goes to exactly one of two graduates registering at once and the other joins the waitlist; a place
given back goes to the first on the waitlist in the same transaction.

A ticket is the registration's short code (8 characters of Crockford's base 32, typed at the door as ``K7QX-3MPA``)
and, in the QR code, a token signed with the site's key naming the fair and that code. A forged token fails its
signature; a made-up code finds nothing; both are refused with a clear message, as are cancelled, waitlisted and
other fairs' tickets.
"""

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import GraduateProfile, User
from accounts.services import profile_get, study_province_choices
from employers.models import Membership, MembershipStatus
from jobs.models import Application, Education
from jobs.services import application_collect_at_fair
from talentfair.core.errors import ApplicationError
from talentfair.core.mail import mail_on_commit

from ..models import ExhibitorStatus, Fair, FairState, Participation, Registration, RegistrationStatus, Shortlist
from ..selectors import is_fair_organiser
from ..tickets import ticket_attachments
from .windows import window_open

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
CODE_LENGTH = 8
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
TOKEN_SALT = "fairs.ticket"  # noqa: S105 - a signing namespace, not a secret
REGISTRATION_STATES = (FairState.GRADUATE_OPEN, FairState.IN_PROGRESS)


# --- qualifications ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unmet:
    field: str  # the profile form's field to fix
    message: str


def qualification_problems(fair: Fair, profile: GraduateProfile) -> list[Unmet]:
    """What a graduate's profile lacks for this fair: the ticket's name and mobile, then the fair's
    qualifications (cohort, minimum education, province of study). Empty when they may register."""
    problems = []
    if not profile.name:
        problems.append(Unmet("name", _("请在个人资料中填写姓名（电子票上显示）。")))
    if not profile.mobile:
        problems.append(Unmet("mobile", _("请在个人资料中填写手机号码。")))
    if fair.cohorts and profile.cohort not in fair.cohorts:
        wanted = _("、").join(_("%(year)s届") % {"year": year} for year in sorted(fair.cohorts))
        problems.append(
            Unmet("cohort", _("本场招聘会面向%(cohorts)s毕业生，请核对个人资料中的毕业届别。") % {"cohorts": wanted})
        )
    if fair.min_education and (profile.degree or 0) < fair.min_education:
        problems.append(
            Unmet(
                "degree",
                _("本场招聘会要求%(level)s及以上学历，请核对个人资料中的学历。")
                % {"level": Education(fair.min_education).label},
            )
        )
    allowed = {province.code for province in fair.study_provinces.all()}
    if allowed and profile.study_province not in allowed:
        names = dict(study_province_choices())
        wanted = _("、").join(names.get(code, code) for code in sorted(allowed))
        problems.append(
            Unmet(
                "study_province",
                _("本场招聘会面向在%(provinces)s就读的毕业生，请核对院校所在省份。") % {"provinces": wanted},
            )
        )
    return problems


def registration_window_open(fair: Fair, *, now: datetime | None = None) -> bool:
    return fair.state in REGISTRATION_STATES and window_open(
        fair.graduate_registration_opens, fair.graduate_registration_closes, now=now
    )


def can_cancel(registration: Registration, *, now: datetime | None = None) -> bool:
    """Until the fair's doors open on its first day."""
    now = now or timezone.now()
    return (
        registration.status != RegistrationStatus.CANCELLED
        and registration.checked_in_at is None
        and registration.fair.state not in (FairState.IN_PROGRESS, FairState.FINISHED)
        and now < registration.fair.doors_open_at
    )


# --- tickets -----------------------------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def ticket_token(registration: Registration) -> str:
    """What the QR code carries: the fair and the code, signed with the site's key."""
    return signing.dumps({"f": registration.fair_id, "c": registration.code}, salt=TOKEN_SALT, compress=True)


def normalise_code(text: str) -> str:
    """``k7qx-3mpa``, ``Ｋ７ＱＸ３ＭＰＡ`` and ``K7QX 3MPA`` are the same code; O/I/L typed for 0/1 too."""
    text = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(char for char in text if char.isalnum()).translate(_TYPO)


class TicketRefused(ApplicationError):
    """A ticket that does not admit: forged, unknown, cancelled, waitlisted, another fair's, or not open yet."""


def _read_ticket(text: str) -> tuple[int | None, str]:
    """(fair id or None, code) from a scanned token or a typed code."""
    text = (text or "").strip()
    if not text:
        raise TicketRefused(_("请扫描二维码或输入电子票号。"))
    if ":" in text:
        try:
            data = signing.loads(text, salt=TOKEN_SALT)
            return int(data["f"]), str(data["c"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise TicketRefused(_("电子票无效：二维码校验失败，可能是伪造或损坏的电子票。")) from None
    code = normalise_code(text)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        raise TicketRefused(_("电子票号应为8位字母和数字，如 K7QX-3MPA。"))
    return None, code


def _ticket_registration(*, fair: Fair, ticket: str, for_update: bool = False) -> Registration:
    fair_id, code = _read_ticket(ticket)
    registrations = Registration.objects.select_related("fair", "graduate")
    if for_update:
        registrations = registrations.select_for_update(of=("self",))
    registration = registrations.filter(code=code).first()
    if registration is None or (fair_id is not None and registration.fair_id != fair_id):
        raise TicketRefused(_("未找到该电子票，请核对票号。"))
    if registration.fair_id != fair.pk:
        raise TicketRefused(_("这是“%(fair)s”的电子票，不是本场招聘会的。") % {"fair": registration.fair.name})
    if registration.status == RegistrationStatus.CANCELLED:
        raise TicketRefused(_("该电子票已取消。"))
    if registration.status == RegistrationStatus.WAITLISTED:
        raise TicketRefused(_("该报名仍在候补中，尚未获得入场名额。"))
    return registration


# --- registering and cancelling ----------------------------------------------------------------------------------


def _registered_count(fair: Fair) -> int:
    return Registration.objects.filter(fair=fair, status=RegistrationStatus.REGISTERED).count()


def _has_place(fair: Fair) -> bool:
    return fair.graduate_capacity is None or _registered_count(fair) < fair.graduate_capacity


def _mail_ticket(registration: Registration, event: str) -> None:
    context = {
        "registration": registration,
        "fair": registration.fair,
        "my_fairs_url": settings.SITE_URL.rstrip("/") + reverse("fairs:my_fairs"),
    }
    attachments = ticket_attachments(registration, ticket_token(registration)) if event != "waitlisted" else []
    mail_on_commit(
        template_prefix=f"fairs/email/registration_{event}",
        context=context,
        to=[registration.graduate.email],
        attachments=attachments,
    )


@transaction.atomic
def registration_create(*, fair: Fair, graduate: User) -> Registration:
    """Register a graduate for a fair: a place while the capacity lasts, the waitlist after that. Refused
    (nothing written) outside the registration window, twice, or when the profile misses a qualification
    (``error.extra["field"]`` names the profile field to fix)."""
    profile = profile_get(user=graduate)
    fair = Fair.objects.select_for_update().get(pk=fair.pk)
    if not registration_window_open(fair):
        raise ApplicationError(_("“%(fair)s”当前不在求职者报名时间内。") % {"fair": fair.name})
    problems = qualification_problems(fair, profile)
    if problems:
        raise ApplicationError(problems[0].message, extra={"field": problems[0].field, "problems": problems})
    registration = Registration.objects.filter(fair=fair, graduate=graduate).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ApplicationError(_("您已报名这场招聘会。"), extra={"duplicate": True})
    registration = registration or Registration(fair=fair, graduate=graduate)
    registration.status = RegistrationStatus.REGISTERED if _has_place(fair) else RegistrationStatus.WAITLISTED
    registration.queued_at = timezone.now()
    registration.cancelled_at = None
    registration.cohort, registration.degree = profile.cohort, profile.degree
    registration.study_province = profile.study_province
    for _attempt in range(5):
        registration.code = _new_code()  # a cancelled ticket's code never admits again
        try:
            with transaction.atomic():
                registration.save()
            break
        except IntegrityError:
            if Registration.objects.filter(fair=fair, graduate=graduate).exclude(pk=registration.pk).exists():
                raise ApplicationError(_("您已报名这场招聘会。"), extra={"duplicate": True}) from None
    else:
        raise ApplicationError(_("报名暂时无法完成，请稍后重试。"))
    _mail_ticket(registration, "confirmed" if registration.status == RegistrationStatus.REGISTERED else "waitlisted")
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User) -> Registration:
    """The graduate gives their place back (until the fair starts); the first on the waitlist gets it."""
    fair = Fair.objects.select_for_update().get(pk=registration.fair_id)
    registration = Registration.objects.select_for_update().select_related("fair").get(pk=registration.pk)
    if registration.graduate_id != by.pk:
        raise PermissionDenied
    if registration.status == RegistrationStatus.CANCELLED:
        raise ApplicationError(_("该报名已取消。"))
    if not can_cancel(registration):
        raise ApplicationError(_("招聘会已开始，不能再取消报名。"))
    held_place = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if held_place:
        waitlist_promote(fair=fair)
    return registration


def waitlist_promote(*, fair: Fair) -> list[Registration]:
    """Give free places to the waitlist in the order people joined it; each promoted graduate gets the ticket by
    mail. Call with the fair row locked (``registration_cancel`` and ``fair_save`` do)."""
    promoted = []
    while _has_place(fair):
        waiting = (
            Registration.objects.select_for_update()
            .select_related("fair", "graduate")
            .filter(fair=fair, status=RegistrationStatus.WAITLISTED)
            .order_by("queued_at", "id")
            .first()
        )
        if waiting is None:
            break
        waiting.status = RegistrationStatus.REGISTERED
        waiting.save(update_fields=["status"])
        _mail_ticket(waiting, "promoted")
        promoted.append(waiting)
    return promoted


# --- the fair day -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool  # checked in before: nothing changed


@transaction.atomic
def registration_check_in(*, fair: Fair, ticket: str, by: User) -> CheckIn:
    """Admit a ticket at the door. Idempotent: a ticket already admitted is reported (``already``) and changes
    nothing. Refused for staff who do not organise the fair, before the fair is in progress, and for forged,
    unknown, cancelled, waitlisted or other fairs' tickets."""
    if not (is_fair_organiser(by, fair) and by.has_perm("fairs.run_fair")):
        raise PermissionDenied
    registration = _ticket_registration(fair=fair, ticket=ticket, for_update=True)
    if registration.checked_in_at is not None:
        return CheckIn(registration, already=True)
    if registration.fair.state != FairState.IN_PROGRESS:
        raise TicketRefused(
            _("招聘会尚未开始签到（当前：%(state)s）。") % {"state": registration.fair.get_state_display()}
        )
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = by
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    return CheckIn(registration, already=False)


@dataclass(frozen=True)
class Collected:
    application: Application
    created: bool
    has_resume: bool


@transaction.atomic
def booth_collect_resume(*, participation: Participation, ticket: str, job_id: int, by: User | None) -> Collected:
    """At the booth, a recruiter of the exhibitor reads a graduate's ticket and receives their résumé: an
    application (source "fair") to one of the vacancies the exhibitor brought. The graduate must have been
    admitted at the door today's fair."""
    participation = Participation.objects.select_related("fair", "booth", "employer").get(pk=participation.pk)
    if not Membership.objects.filter(
        user=by, employer_id=participation.employer_id, status=MembershipStatus.ACTIVE
    ).exists():
        raise PermissionDenied
    fair = participation.fair
    booth = participation.booth
    if participation.status != ExhibitorStatus.APPROVED or booth is None:
        raise ApplicationError(_("本单位在这场招聘会还没有展位。"))
    if fair.state != FairState.IN_PROGRESS:
        raise ApplicationError(_("招聘会进行中才能在展位收取简历。"))
    offer = participation.offers.select_related("job").filter(job_id=job_id).first()
    if offer is None:
        raise ApplicationError(_("请选择本单位带到招聘会的职位。"))
    registration = _ticket_registration(fair=fair, ticket=ticket)
    if registration.checked_in_at is None:
        raise TicketRefused(_("该求职者尚未在入口签到。"))
    application, created = application_collect_at_fair(
        job=offer.job, graduate=registration.graduate, fair=fair, by=by, booth=booth.code
    )
    return Collected(application, created, profile_get(user=registration.graduate).has_resume)


# --- the guide ---------------------------------------------------------------------------------------------------


def shortlist_toggle(*, user: User, participation: Participation) -> bool:
    """Put an approved exhibitor's booth on the user's list for the fair day, or take it off. Returns whether it is
    on the list now."""
    if participation.status != ExhibitorStatus.APPROVED:
        raise ApplicationError(_("只能收藏已通过审核的参展单位。"))
    deleted, _rows = Shortlist.objects.filter(user=user, participation=participation).delete()
    if deleted:
        return False
    Shortlist.objects.get_or_create(user=user, participation=participation)
    return True
