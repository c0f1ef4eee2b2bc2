"""The match queue: employers a partner feed named without a 统一社会信用代码 that match no registered employer.

A sync creates such an employer as "unmatched" (来自合作源，待核验) and holds its vacancies (``feeds.pipeline``).
The staff of the employer's province then decide, here and only here:

- **match** it to an employer already on the platform: the held vacancies move to that employer, the source's name
  for it is remembered (``EmployerAlias``) so later syncs follow it, and the placeholder is removed;
- **verify** it as a new employer, with the USCC staff have checked: it becomes a verified employer;
- **refuse** it: it and its held vacancies are refused, and later records naming it are rejected by the sync.

After a match or a verification the held vacancies are released (``release_held``): published when the staff who
decided work for the employer's province (the match page showed them the vacancies), otherwise by the normal rule
(``may_publish_for``), waiting again for the employer's province staff if the source does not speak for it. Later
vacancies of the employer from the feed always follow the normal rule.
"""

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Employer, EmployerDecision, EmployerReview, VerificationState
from employers.services import employer_reject, employer_verify
from employers.uscc import validate_uscc
from jobs.models import JobPosting, JobStatus
from jobs.services import job_approve, job_reject, jobs_reindex, jobs_transfer
from talentfair.core.errors import ApplicationError

from .models import EmployerAlias, FeedRecord, FeedSource
from .normalise import normalise_name, normalise_title
from .pipeline import hold_for_review, match_key, may_publish_for

MAX_CANDIDATES = 8
# What a company name says besides its own name: the legal form, and branches.
_LEGAL_FORM = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|分公司|公司|事务所|研究院|（.*?）|\(.*?\))")


def unmatched_employers(queryset=None):
    """The queue (of ``queryset``, all employers by default), with the number of vacancies each holds back."""
    queryset = Employer.objects.all() if queryset is None else queryset
    return queryset.filter(verification_state=VerificationState.UNMATCHED).annotate(
        held_count=Count("jobs", filter=Q(jobs__status=JobStatus.PENDING))
    )


def _core_name(name: str, employer: Employer) -> str:
    """The distinctive part of a company name: without its legal form and its place ("苏州汇川精密机械有限公司" →
    "汇川精密机械")."""
    core = _LEGAL_FORM.sub("", normalise_name(name))
    city = employer.city
    for place in (city.province.name, city.province.display_name, city.name, city.name.removesuffix("市")):
        core = core.removeprefix(place.upper())
    return core or normalise_name(name)


def match_candidates(employer: Employer, *, limit: int = MAX_CANDIDATES) -> list[Employer]:
    """Registered employers this one may be: names sharing its distinctive part, most alike first, the same city
    and province before others."""
    core = _core_name(employer.name, employer)
    probes = {core, core[:4]} if len(core) > 4 else {core}
    query = Q()
    for probe in probes:
        query |= Q(name__icontains=probe)
    rows = list(
        Employer.objects.filter(query, uscc__isnull=False)
        .exclude(pk=employer.pk)
        .exclude(verification_state=VerificationState.REJECTED)
        .select_related("city__province")[:200]
    )
    target = normalise_name(employer.name)

    def rank(other: Employer):
        alike = difflib.SequenceMatcher(None, target, normalise_name(other.name)).ratio()
        return (other.city_id != employer.city_id, other.city.province_id != employer.city.province_id, -alike)

    return sorted(rows, key=rank)[:limit]


@dataclass
class Released:
    published: int = 0
    held: int = 0


def _lock_unmatched(employer: Employer) -> Employer:
    employer = Employer.objects.select_for_update().select_related("city__province").get(pk=employer.pk)
    if employer.verification_state != VerificationState.UNMATCHED:
        raise ApplicationError(
            _("单位“%(name)s”已处理（%(state)s），不在待匹配队列中。")
            % {"name": employer.name, "state": employer.get_verification_state_display()}
        )
    return employer


def sources_naming(employer: Employer) -> list[FeedSource]:
    """The feed sources whose records name this employer's vacancies."""
    return list(FeedSource.objects.filter(records__job__employer=employer).select_related("centre").distinct())


def _remember(employer_name: str, sources: list[FeedSource], target: Employer, by) -> None:
    """Later syncs of these sources map the name to ``target``."""
    for source in sources:
        EmployerAlias.objects.update_or_create(
            source=source,
            name_key=normalise_name(employer_name),
            defaults={"name": employer_name, "employer": target, "by": by, "at": timezone.now()},
        )


@transaction.atomic
def unmatched_employer_match(*, employer: Employer, target: Employer, by) -> Released:
    """``employer`` (unmatched) is ``target``: move its vacancies there, remember the name, release the vacancies."""
    employer = _lock_unmatched(employer)
    target = Employer.objects.select_for_update().select_related("city__province").get(pk=target.pk)
    if target.pk == employer.pk or not target.uscc or target.verification_state == VerificationState.REJECTED:
        raise ApplicationError(_("只能匹配到有统一社会信用代码、未被驳回的已登记单位。"))
    sources = sources_naming(employer)
    _remember(employer.name, sources, target, by)
    count = jobs_transfer(from_employer=employer, to_employer=target, by=by)
    for record in FeedRecord.objects.filter(job__employer=target, source__in=sources).select_related("job"):
        record.match_key = match_key(target.pk, normalise_title(record.job.title), record.job.city_id)
        record.save(update_fields=["match_key"])
    EmployerReview.objects.create(
        employer=target,
        decision=EmployerDecision.MATCHED,
        previous_state=target.verification_state,
        reason=_("合作源中的单位“%(name)s”（%(sources)s）匹配为本单位，%(n)d 个职位转入")
        % {"name": employer.name, "sources": "、".join(s.name for s in sources), "n": count},
        by=by,
    )
    employer.delete()
    return release_held(employer=target, by=by)


@transaction.atomic
def unmatched_employer_verify(*, employer: Employer, uscc: str, by, name: str = "", city=None) -> Released:
    """``employer`` (unmatched) is a real employer new to the platform, with the USCC staff have checked."""
    employer = _lock_unmatched(employer)
    try:
        uscc = validate_uscc(uscc)
    except ValidationError as exc:
        raise ValidationError({"uscc": exc.messages}) from None
    holder = Employer.objects.filter(uscc=uscc).first()
    if holder is not None:
        raise ValidationError(
            {"uscc": _("该代码已属于已登记的单位“%(name)s”：请改为匹配到该单位。") % {"name": holder.name}}
        )
    sources = sources_naming(employer)
    feed_name = employer.name
    employer.uscc = uscc
    employer.name = " ".join((name or employer.name).split())[:200]
    if city is not None:
        employer.city = city
    employer.save(update_fields=["uscc", "name", "city", "updated_at"])
    if employer.name != feed_name:
        _remember(feed_name, sources, employer, by)  # the feed keeps writing the name it knows
        jobs_reindex(queryset=JobPosting.objects.filter(employer=employer))
    employer = employer_verify(employer=employer, by=by, reason=_("合作源单位，工作人员核验统一社会信用代码后认证"))
    return release_held(employer=employer, by=by)


@transaction.atomic
def unmatched_employer_refuse(*, employer: Employer, by, reason: str) -> int:
    """Not an employer we will carry: refuse it and its held vacancies. Returns how many vacancies were refused."""
    employer = _lock_unmatched(employer)
    employer_reject(employer=employer, by=by, reason=reason)
    refused = 0
    for job in JobPosting.objects.filter(employer=employer, status=JobStatus.PENDING):
        job_reject(job=job, by=by, reason=reason)
        refused += 1
    return refused


def release_held(*, employer: Employer, by) -> Released:
    """Publish the employer's held feed vacancies, or hold them for the employer's province staff.

    Staff of the employer's province who matched or verified it had its held vacancies in front of them on the
    match page: that decision is their review, and the vacancies are published. Staff of another province (the
    feed placed the employer there) decide only who the employer is; its vacancies then follow the normal rule
    (``may_publish_for``) and wait for the employer's province if the source does not speak for it, and the
    employer is told."""
    released = Released()
    employer = Employer.objects.select_related("city__province").get(pk=employer.pk)
    centre = getattr(by, "centre", None)
    reviewed = by.is_superuser or (centre is not None and centre.province_id == employer.city.province_id)
    now = timezone.now()
    held = list(
        JobPosting.objects.filter(employer=employer, status=JobStatus.PENDING, feed_records__isnull=False)
        .distinct()
        .order_by("pk")
    )
    # Each vacancy's first provenance (the source that brought it), and which of those sources speak for the
    # employer: two queries for all of them, not two per vacancy.
    first_source: dict[int, FeedSource] = {}
    records = FeedRecord.objects.filter(job__in=held).select_related("source__centre").order_by("first_seen_at", "pk")
    for record in records:
        first_source.setdefault(record.job_id, record.source)
    linked = set(
        FeedSource.objects.filter(
            pk__in={s.pk for s in first_source.values()}, represented_employers=employer
        ).values_list("pk", flat=True)
    )
    for job in held:
        source = first_source[job.pk]
        if reviewed or may_publish_for(
            source,
            province=employer.city.province_id,
            introduced_by=employer.source_centre_id,
            linked=source.pk in linked,
        ):
            job_approve(job=job, by=by, reason=_("单位已匹配或核验，按职位源规则发布"))
            released.published += 1
        else:
            hold_for_review(source=source, held=[(job.pk, employer.pk)], unmatched=set(), now=now)
            released.held += 1
    return released
