"""Recruiters register an organisation or ask to join one; the organisation's owner approves those who ask.

(These writes sit beside ``employers/services.py``, which holds the staff side's verification decisions, so the two
features could be built in parallel; fold them into one module whenever convenient.)

One person acts for one organisation: a user with an active or pending membership cannot register or join another.
A new organisation starts ``pending`` until centre staff verify it. The USCC's registering division (characters 3–8)
may lie outside the organisation's city — branch offices and district registrations are common — so it is accepted;
``registered_elsewhere`` tells the state page and staff when the division is in another province.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from talentfair.core.errors import ApplicationError
from talentfair.core.mail import mail_on_commit

from .models import Employer, Membership, MembershipRole, MembershipStatus, VerificationState
from .uscc import normalise_uscc, validate_uscc

REGISTER_FIELDS = (
    "name",
    "ownership",
    "industry",
    "city",
    "size",
    "website",
    "description",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def current_membership(user) -> Membership | None:
    """The user's membership (active or pending), with its employer, or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, status__in=(MembershipStatus.ACTIVE, MembershipStatus.PENDING))
        .select_related("employer__city__province", "employer__industry")
        .order_by("status", "id")  # "active" before "pending"
        .first()
    )


def registered_elsewhere(employer: Employer) -> bool:
    """True when the USCC's registering division lies in another province than the employer's city."""
    return employer.uscc[2:4] != employer.city.province_id[:2]


def _refuse_if_member(user) -> None:
    if Membership.objects.filter(user=user, status__in=(MembershipStatus.ACTIVE, MembershipStatus.PENDING)).exists():
        raise ApplicationError(_("您已属于一个招聘单位（或正在等待批准），不能再登记或加入其他单位。"))


def employer_register(*, by, uscc: str, **fields) -> Employer:
    """A new organisation, pending verification, with ``by`` as its owner."""
    unknown = set(fields) - set(REGISTER_FIELDS)
    if unknown:
        raise ValueError(f"Not registrable: {sorted(unknown)}")
    try:
        code = validate_uscc(uscc)
    except ValidationError as error:
        raise ValidationError({"uscc": error.messages}) from None
    if Employer.objects.filter(uscc=code).exists():
        raise ValidationError(
            {"uscc": _("该统一社会信用代码已登记。如果您是该单位的招聘人员，请选择“申请加入已有单位”。")},
            code="exists",
        )
    try:
        with transaction.atomic():
            _refuse_if_member(by)
            employer = Employer(uscc=code, verification_state=VerificationState.PENDING, **fields)
            employer.full_clean()
            employer.save()
            Membership.objects.create(
                employer=employer, user=by, role=MembershipRole.OWNER, status=MembershipStatus.ACTIVE
            )
    except IntegrityError:
        raise ValidationError({"uscc": _("该统一社会信用代码已登记。")}, code="exists") from None
    return employer


@transaction.atomic
def membership_request(*, by, uscc: str) -> Membership:
    """Ask to join the organisation with this USCC; its owners are mailed and decide."""
    code = normalise_uscc(uscc)
    employer = Employer.objects.filter(uscc=code).first()
    if employer is None:
        raise ValidationError({"uscc": _("没有找到使用该统一社会信用代码的单位，请核对，或登记新单位。")})
    _refuse_if_member(by)
    Membership.objects.filter(employer=employer, user=by, status=MembershipStatus.DECLINED).delete()
    membership = Membership.objects.create(
        employer=employer, user=by, role=MembershipRole.RECRUITER, status=MembershipStatus.PENDING
    )
    owners = employer.memberships.filter(role=MembershipRole.OWNER, status=MembershipStatus.ACTIVE)
    to = [m.user.email for m in owners.select_related("user")] or [employer.contact_email]
    mail_on_commit(
        template_prefix="employers/email/membership_requested",
        context={"employer": employer, "requester": by},
        to=to,
    )
    return membership


@transaction.atomic
def membership_decide(*, membership: Membership, by, approve: bool) -> Membership:
    """The organisation's owner approves or declines a pending request; the requester is mailed."""
    membership = Membership.objects.select_for_update().select_related("employer", "user").get(pk=membership.pk)
    if not Membership.objects.filter(
        employer=membership.employer, user=by, role=MembershipRole.OWNER, status=MembershipStatus.ACTIVE
    ).exists():
        raise PermissionDenied
    if membership.status != MembershipStatus.PENDING:
        raise ApplicationError(_("该申请已处理。"))
    membership.status = MembershipStatus.ACTIVE if approve else MembershipStatus.DECLINED
    membership.save(update_fields=["status"])
    mail_on_commit(
        template_prefix="employers/email/membership_decided",
        context={"membership": membership, "employer": membership.employer},
        to=[membership.user.email],
    )
    return membership
