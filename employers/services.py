"""Every verification decision about an employer goes through here (admin actions, commands, any future path).

pending → verified | rejected; verified → suspended; rejected or suspended → verified (reinstated); unmatched
(named by a partner feed without a USCC) → verified once it has one, or rejected (``feeds.matching``). Each decision
records who, when and why on the employer (what the employer centre shows) and an ``EmployerReview`` audit row
(the history), and is mailed to the employer's recruiters after the transaction commits.

Suspending hides all the employer's vacancies at once through the visibility rule
(``JobPostingQuerySet.published()`` and ``EmployerQuerySet.public()`` only show verified employers, or pending ones
imported by a partner centre); the vacancies themselves are left as they are, so reinstating the employer brings
back exactly what was visible before, without a second decision per vacancy. Because that changes what the API
shows of each published vacancy (open ↔ withdrawn), every decision — and every edit of what the vacancies show of
their employer — is handed, in the same transaction, to the followers named in ``EMPLOYER_FOLLOWERS`` (the vacancy
catalogue: ``jobs.services.jobs_follow_employer`` marks them changed and rebuilds their search documents), so
partners mirroring with ``updated_since`` see them come and go. This app knows its followers only by that setting:
the catalogue is built on employers, not the other way round.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import User
from talentfair.core.errors import ApplicationError
from talentfair.core.mail import mail_on_commit

from .models import Employer, EmployerDecision, EmployerReview, MembershipStatus, VerificationState

# Which states each decision may start from.
_ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    EmployerDecision.VERIFIED: (
        VerificationState.PENDING,
        VerificationState.REJECTED,
        VerificationState.SUSPENDED,
        VerificationState.UNMATCHED,  # once staff have entered its USCC (feeds.matching)
    ),
    EmployerDecision.REJECTED: (VerificationState.PENDING, VerificationState.UNMATCHED),
    EmployerDecision.SUSPENDED: (VerificationState.VERIFIED, VerificationState.PENDING),
}
_EMAIL: dict[str, str] = {
    EmployerDecision.VERIFIED: "employer_verified",
    EmployerDecision.REJECTED: "employer_rejected",
    EmployerDecision.SUSPENDED: "employer_suspended",
}


def recruiter_emails(employer: Employer) -> list[str]:
    """The active recruiters' addresses, or the employer's contact address when it has none."""
    emails = set(employer.memberships.filter(status=MembershipStatus.ACTIVE).values_list("user__email", flat=True))
    if not emails and employer.contact_email:
        emails.add(employer.contact_email)
    return sorted(emails)


def _decide(*, employer: Employer, by: User | None, decision: str, reason: str) -> Employer:
    reason = (reason or "").strip()
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    previous = employer.verification_state
    if previous not in _ALLOWED_FROM[decision]:
        raise ApplicationError(
            _("单位“%(name)s”当前状态为“%(state)s”，不能执行“%(decision)s”。")
            % {
                "name": employer.name,
                "state": employer.get_verification_state_display(),
                "decision": EmployerDecision(decision).label,
            }
        )
    if decision == EmployerDecision.VERIFIED and not employer.uscc:
        raise ApplicationError(
            _("单位“%(name)s”没有统一社会信用代码，不能认证：请在“待匹配单位”中填写代码核验，或匹配到已有单位。")
            % {"name": employer.name}
        )
    now = timezone.now()
    employer.verification_state = decision  # the decision values are the resulting states
    employer.verification_reason = reason
    employer.verified_at = now
    employer.verified_by = by
    employer.save(
        update_fields=["verification_state", "verification_reason", "verified_at", "verified_by", "updated_at"]
    )
    _tell_followers(employer=employer, changed={"verification_state"})
    EmployerReview.objects.create(employer=employer, decision=decision, previous_state=previous, reason=reason, by=by)
    mail_on_commit(
        template_prefix=f"employers/email/{_EMAIL[decision]}",
        context={"employer": employer, "reason": reason},
        to=recruiter_emails(employer),
    )
    return employer


def _tell_followers(*, employer: Employer, changed: set[str]) -> None:
    """Hand the change to what depends on the employer (``EMPLOYER_FOLLOWERS``), in this transaction."""
    for path in settings.EMPLOYER_FOLLOWERS:
        import_string(path)(employer=employer, changed=changed)


def _require_reason(reason: str, message: str) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": message})


@transaction.atomic
def employer_verify(*, employer: Employer, by: User | None, reason: str = "") -> Employer:
    """Verify a pending employer, or reinstate a rejected or suspended one; its vacancies become visible."""
    return _decide(employer=employer, by=by, decision=EmployerDecision.VERIFIED, reason=reason)


@transaction.atomic
def employer_reject(*, employer: Employer, by: User | None, reason: str) -> Employer:
    """Refuse a pending employer with a reason the employer centre shows; they may correct and ask again."""
    _require_reason(reason, _("请填写未通过认证的原因。"))
    return _decide(employer=employer, by=by, decision=EmployerDecision.REJECTED, reason=reason)


@transaction.atomic
def employer_suspend(*, employer: Employer, by: User | None, reason: str) -> Employer:
    """Suspend an employer: its page and every vacancy disappear from the public site at once."""
    _require_reason(reason, _("请填写暂停的原因。"))
    return _decide(employer=employer, by=by, decision=EmployerDecision.SUSPENDED, reason=reason)


# Fields whose change the public sees on every vacancy of the employer (its name in the search document and on
# every card, JSON-LD and API record; its code and place in the API's hiringOrganization).
_SHOWN_ON_VACANCIES = {"name", "uscc", "city", "industry", "ownership", "website"}
# What an edit may change here; verification state, reasons and who decided are the decisions' own fields.
EDITABLE_FIELDS = {
    "name",
    "uscc",
    "ownership",
    "industry",
    "city",
    "size",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "description",
    "is_trusted",
    "source_centre",
}


@transaction.atomic
def employer_update(*, employer: Employer, by: User | None, changes: dict) -> Employer:
    """Edit an employer's details (staff in admin; any later self-service edit). Validated as a whole; when what
    its vacancies show changes, their search documents are rebuilt and they are marked changed (``updated_at``),
    so search finds them by the new name only and partners mirroring with ``updated_since`` fetch them again."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    changed = {name for name, value in changes.items() if getattr(employer, name) != value}
    for name in changed:
        setattr(employer, name, changes[name])
    if not changed:
        return employer
    employer.full_clean()
    employer.save()
    if changed & _SHOWN_ON_VACANCIES:
        _tell_followers(employer=employer, changed=changed)
    return employer
