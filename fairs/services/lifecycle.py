"""A fair's life, run by the host centre's staff: draft → employer registration open → graduate registration open
→ in progress → finished. Each step is one call here with a ``FairLog`` row; so are publishing the exhibitor list
and every edit of the fair and its plan (organisers, zones, booths) made in admin."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from talentfair.core.errors import ApplicationError

from ..models import Booth, Fair, FairAction, FairLog, FairOrganiser, FairState, Participation, Zone
from ..selectors import is_fair_host
from .registrations import waitlist_promote

# Which state each state may follow: one step forward at a time.
_ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    FairState.EMPLOYER_OPEN: (FairState.DRAFT,),
    FairState.GRADUATE_OPEN: (FairState.EMPLOYER_OPEN,),
    FairState.IN_PROGRESS: (FairState.GRADUATE_OPEN,),
    FairState.FINISHED: (FairState.IN_PROGRESS,),
}
# Paths under /fairs/ that are pages of their own, not fairs.
RESERVED_SLUGS = {"mine", "tickets", "exhibiting"}
NEXT_STATE = {source: target for target, sources in _ALLOWED_FROM.items() for source in sources}


def log(
    *,
    fair: Fair,
    action: str,
    by: User | None,
    participation: Participation | None = None,
    before: str = "",
    after: str = "",
    reason: str = "",
) -> FairLog:
    return FairLog.objects.create(
        fair=fair,
        action=action,
        participation=participation,
        from_value=before,
        to_value=after,
        reason=reason,
        by=by,
    )


def require_host(*, fair: Fair, by: User | None) -> None:
    if by is not None and not is_fair_host(by, fair):
        raise PermissionDenied(_("只有主责中心的工作人员可以管理本届招聘会。"))


def _lock(fair: Fair) -> Fair:
    return Fair.objects.select_for_update().get(pk=fair.pk)


def _ready_for(fair: Fair, state: str) -> list[str]:
    """What a fair still lacks before it may enter ``state``."""
    missing = []
    if state == FairState.EMPLOYER_OPEN:
        if not (fair.employer_registration_opens and fair.employer_registration_closes):
            missing.append(_("单位报名时间"))
        if not fair.booths.exists():
            missing.append(_("展位图（至少一个展位）"))
    if state == FairState.GRADUATE_OPEN and not (
        fair.graduate_registration_opens and fair.graduate_registration_closes
    ):
        missing.append(_("求职者报名时间"))
    return missing


@transaction.atomic
def fair_advance(*, fair: Fair, by: User | None, to: str, reason: str = "") -> Fair:
    """Move the fair one step along its life; refused (nothing changes) from any other state or when the fair
    lacks what the next state needs (the windows, a booth plan)."""
    require_host(fair=fair, by=by)
    fair = _lock(fair)
    if fair.state not in _ALLOWED_FROM.get(to, ()):
        raise ApplicationError(
            _("招聘会“%(name)s”当前为“%(state)s”，不能变更为“%(target)s”。")
            % {"name": fair.name, "state": fair.get_state_display(), "target": FairState(to).label}
        )
    missing = _ready_for(fair, to)
    if missing:
        raise ApplicationError(
            _("招聘会“%(name)s”还缺少：%(missing)s。") % {"name": fair.name, "missing": _("、").join(missing)}
        )
    before = fair.state
    fair.state = to
    fair.save(update_fields=["state"])
    log(fair=fair, action=FairAction.STATE, by=by, before=before, after=to, reason=(reason or "").strip())
    return fair


@transaction.atomic
def fair_publish_exhibitors(*, fair: Fair, by: User | None, published: bool = True) -> Fair:
    """Show (or hide again) the public exhibitor list and booth plan."""
    require_host(fair=fair, by=by)
    fair = _lock(fair)
    if fair.exhibitors_published == published:
        return fair
    fair.exhibitors_published = published
    fair.save(update_fields=["exhibitors_published"])
    log(fair=fair, action=FairAction.PUBLISHED if published else FairAction.UNPUBLISHED, by=by)
    return fair


def fair_validate(fair: Fair) -> None:
    """The fair's own rules (dates, windows, hours) as field errors; admin's form shows them."""
    fair.full_clean(exclude=["study_provinces"])
    errors = {}
    if fair.slug in RESERVED_SLUGS:
        errors["slug"] = _("“%(slug)s”是网站保留的地址，请换一个标识。") % {"slug": fair.slug}
    start = fair.doors_open_at
    if fair.employer_registration_closes and fair.employer_registration_closes > start:
        errors["employer_registration_closes"] = _("单位报名应在招聘会开始前截止。")
    if fair.graduate_registration_closes and fair.graduate_registration_closes.date() > fair.ends_on:
        errors["graduate_registration_closes"] = _("求职者报名最晚在招聘会最后一天截止。")
    if fair.closes_at <= fair.opens_at:
        errors["closes_at"] = _("每日结束时间应晚于开放时间。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def fair_save(*, fair: Fair, by: User | None) -> Fair:
    """Create a fair (as a draft) or save an edit of its details; the state and the published flag change only
    through ``fair_advance`` and ``fair_publish_exhibitors``. A new fair's host is the creator's centre unless
    one is given. A larger graduate capacity gives its new places to the waitlist, in order."""
    if fair.pk is None:
        fair.state = FairState.DRAFT
        fair.exhibitors_published = False
        if fair.host_centre_id is None and by is not None and not by.is_superuser:
            fair.host_centre_id = by.centre_id
        require_host(fair=fair, by=by)
    else:
        require_host(fair=Fair.objects.get(pk=fair.pk), by=by)
        current = Fair.objects.select_for_update().get(pk=fair.pk)
        fair.state, fair.exhibitors_published = current.state, current.exhibitors_published
    fair_validate(fair)
    fair.save()
    waitlist_promote(fair=fair)  # more places (or no limit any more) go to the waitlist at once
    return fair


# --- the plan: organisers, zones, booths ---------------------------------------------------------------------


@transaction.atomic
def plan_item_save(*, item: FairOrganiser | Zone | Booth, by: User | None) -> FairOrganiser | Zone | Booth:
    """Save one organiser, zone or booth of a fair's plan (admin's inlines and the booth list call this)."""
    require_host(fair=item.fair, by=by)
    if isinstance(item, Booth) and item.zone.fair_id != item.fair_id:
        raise ValidationError({"zone": _("展区不属于这场招聘会。")})
    item.full_clean(exclude=["industries"] if isinstance(item, Zone) else None)
    item.save()
    return item


@transaction.atomic
def plan_item_delete(*, item: FairOrganiser | Zone | Booth, by: User | None) -> None:
    require_host(fair=item.fair, by=by)
    if isinstance(item, Booth) and hasattr(item, "participation"):
        raise ApplicationError(
            _("展位 %(booth)s 已分配给“%(employer)s”，请先调整展位再删除。")
            % {"booth": item.code, "employer": item.participation.employer.name}
        )
    if isinstance(item, Zone) and item.booths.exists():
        raise ApplicationError(_("展区 %(zone)s 下还有展位，不能删除。") % {"zone": item.code})
    item.delete()


@transaction.atomic
def booths_generate(*, zone: Zone, by: User | None, count: int, size: str = "standard", start: int = 1) -> list[Booth]:
    """Add ``count`` booths to a zone, numbered on from ``start`` (A001, A002 …), skipping codes that exist."""
    require_host(fair=zone.fair, by=by)
    if not 1 <= count <= 500:
        raise ValidationError({"count": _("一次可生成 1–500 个展位。")})
    existing = set(Booth.objects.filter(fair_id=zone.fair_id).values_list("code", flat=True))
    booths: list[Booth] = []
    number = start
    while len(booths) < count:
        code = f"{zone.code}{number:03d}"
        if code not in existing:
            booths.append(Booth(fair_id=zone.fair_id, zone=zone, code=code, size=size))
        number += 1
    return Booth.objects.bulk_create(booths)
