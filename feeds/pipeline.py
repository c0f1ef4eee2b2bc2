"""The sync pipeline after fetching: parse → normalise → validate → de-duplicate → plan → upsert → close.

Each step is a function of its own (``read_records``, ``deduplicate``, ``plan_sync``, ``write_plan``) so it can be
tested and benchmarked alone; ``apply_feed`` strings them together for one ``SyncRun``.

The hot path never saves a model per record: existing (external id, hash) pairs are read first, unchanged records
are counted and skipped before normalisation, and only new or changed rows are segmented and written: new vacancies
and their provenance rows COPYed straight into their tables, changed ones COPYed into a temporary table and applied
with one UPDATE … FROM (the search vector in the same statements).
"""

import csv
import gc
import hashlib
import io
import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Employer, VerificationState
from employers.services import recruiter_emails
from jobs import bulk
from jobs.events import events_announce
from jobs.models import JobReview, JobStatus, ReviewDecision
from talentfair.core.mail import mail_on_commit

from .documents import vacancy_document
from .logos import logos_fetch_later
from .models import EmployerAlias, FeedSource, FeedTrust, IssueSeverity, SyncIssue, SyncRun
from .normalise import (
    NormalRecord,
    RecordRejected,
    Warning_,
    _place,
    industry_name,
    normalise,
    normalise_name,
)
from .parsers import RawRecord, parse

logger = logging.getLogger(__name__)

FALLBACK_INDUSTRY = "L"  # 租赁和商务服务业, which includes human-resources services
PROGRESS_EVERY = 5000
SOURCE_WRITE_LOCK = 7_100_002  # pg_advisory_xact_lock(key, source id): one writer per source

Progress = Callable[[str, int], None]


@dataclass
class Issue:
    severity: str
    record_id: str
    line: int | None
    field: str
    reason: str
    value: str = ""


@dataclass
class Existing:
    job_id: int
    content_hash: str
    active: bool


@dataclass
class Plan:
    fetched: int = 0
    unchanged: int = 0
    records: list[NormalRecord] = field(default_factory=list)  # new or changed, valid
    issues: list[Issue] = field(default_factory=list)
    to_close: list[str] = field(default_factory=list)
    active_count: int = 0
    existing: dict[str, Existing] = field(default_factory=dict)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (stored key, the record's key now)
    hold_reason: str = ""

    @property
    def rejected(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == IssueSeverity.REJECTED)

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.rejected


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    merged: int = 0
    closed: int = 0
    held: int = 0
    unmatched: int = 0  # of the held, those whose employer waits to be matched


# --- parse and de-duplicate ---


def read_records(body: bytes, *, format: str, encoding: str, progress: Progress | None = None) -> tuple[list, int]:
    """All records of the body, as sent, and their count."""
    records: list[RawRecord] = []
    for raw in parse(body, format=format, encoding=encoding):
        records.append(raw)
        if progress and len(records) % PROGRESS_EVERY == 0:
            progress("parse", len(records))
    return records, len(records)


def expand_locations(raw: RawRecord) -> list[RawRecord]:
    """One catalogue entry per distinct city: ``<id>@<city code>`` when a record lists several places."""
    places = raw.fields.get("places") or []
    if raw.error or len(places) < 2:
        return [raw]
    by_city: dict[str, str] = {}
    for place in places:
        match = _place(place)
        if match.city is not None:
            by_city.setdefault(match.city.code, place)
    if len(by_city) < 2:
        return [raw]
    out = []
    for code, place in by_city.items():
        fields = {**raw.fields, "places": [place], "id": f"{raw.external_id}@{code}"}
        out.append(RawRecord(raw.position, fields, content_hash=raw.content_hash))
    return out


def deduplicate(records: Iterable[RawRecord], issues: list[Issue]) -> list[RawRecord]:
    """First occurrence of each id wins; later ones and unreadable records become issues."""
    first: dict[str, int] = {}
    unique = []
    for raw in records:
        if raw.error:
            issues.append(Issue(IssueSeverity.REJECTED, raw.external_id, raw.position, "", raw.error))
            continue
        ext = raw.external_id
        if not ext:
            issues.append(Issue(IssueSeverity.REJECTED, "", raw.position, "id", _("缺少职位编号")))
            continue
        if ext in first:
            issues.append(
                Issue(
                    IssueSeverity.REJECTED,
                    ext,
                    raw.position,
                    "id",
                    _("职位编号在本次数据中重复，已采用第 %(n)d 条记录") % {"n": first[ext]},
                )
            )
            continue
        first[ext] = raw.position
        unique.append(raw)
    return unique


def load_existing(source: FeedSource, *, family: str | None = None) -> dict[str, Existing]:
    """The source's provenance rows by external id: all of them, or one record's ``family`` (the id and its per-city
    entries ``<id>@<city>``)."""
    sql = "SELECT external_id, job_id, content_hash, active FROM feeds_feedrecord WHERE source_id = %s"
    params: list = [source.pk]
    if family is not None:
        sql += " AND (external_id = %s OR starts_with(external_id, %s))"
        params += [family, f"{family}@"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: Existing(row[1], row[2], row[3]) for row in cursor.fetchall()}


def lock_source(source: FeedSource) -> None:
    """One writer per source at a time (a sync, a push), until the caller's transaction ends: two writers adding
    the same record would both insert it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SOURCE_WRITE_LOCK, source.pk])


# --- plan ---


def plan_sync(
    source: FeedSource,
    raws: list[RawRecord],
    *,
    fetched: int,
    now: datetime,
    force: bool = False,
    progress: Progress | None = None,
) -> Plan:
    plan = Plan(fetched=fetched)
    unique = deduplicate(raws, plan.issues)
    plan.existing = existing = load_existing(source)
    plan.active_count = sum(1 for e in existing.values() if e.active)
    _adopt_legacy_keys(unique, existing, plan)
    keep: set[str] = set()
    for index, sent in enumerate(unique, start=1):
        if progress and index % PROGRESS_EVERY == 0:
            progress("normalise", index)
        ext = sent.external_id
        known = existing.get(ext)
        if known is not None and known.active and known.content_hash == sent.content_hash:
            plan.unchanged += 1
            keep.add(ext)
            continue
        for raw in expand_locations(sent):  # a record listing several cities is one entry per city
            _plan_entry(plan, raw, keep, now=now)
    _match_employers(source, plan)
    plan.to_close = [ext for ext, e in existing.items() if e.active and ext not in keep]

    share = Decimal(source.max_close_share)
    if not force:
        if fetched == 0:
            plan.hold_reason = _("职位源为空（0 条记录），未作任何更改；如确属全部下架，请在后台确认生效")
        elif plan.active_count and len(plan.to_close) > plan.active_count * share:
            plan.hold_reason = _(
                "本次同步将关闭 %(close)d 个在招职位（共 %(active)d 个，超过 %(share)s%% 的上限），"
                "未作任何更改，等待工作人员确认"
            ) % {"close": len(plan.to_close), "active": plan.active_count, "share": f"{share * 100:g}"}
    return plan


def _plan_entry(plan: Plan, raw: RawRecord, keep: set[str], *, now: datetime) -> None:
    """One catalogue entry of a record: unchanged (its hash is known), rejected with a reason, or normalised into
    ``plan.records`` with its warnings; ``keep`` gains its key unless it expired (a bad edit does not close the
    vacancy; an expired one does)."""
    ext = raw.external_id
    known = plan.existing.get(ext)
    if known is not None and known.active and known.content_hash == raw.content_hash:
        plan.unchanged += 1
        keep.add(ext)
        return
    try:
        record = normalise(raw, now=now)
    except RecordRejected as exc:
        plan.issues.append(Issue(IssueSeverity.REJECTED, ext, raw.position, exc.field, exc.reason, exc.value))
        if exc.field != "valid_through":
            keep.add(ext)
        return
    keep.add(ext)
    plan.records.append(record)
    for warning in record.warnings:
        plan.issues.append(_warning_issue(record, warning))


def plan_push(source: FeedSource, raw: RawRecord, *, now: datetime) -> Plan:
    """The plan for one record a partner pushed: like a sync's, but for that record's family only — its per-city
    entries it no longer lists are closed, nothing else of the source is touched, and nothing is held for a
    closing share. Check ``plan.rejected`` before writing: a pushed record that fails is refused whole."""
    plan = Plan(fetched=1)
    ext = raw.external_id
    plan.existing = existing = load_existing(source, family=ext)
    if raw.error:
        plan.issues.append(Issue(IssueSeverity.REJECTED, ext, raw.position, "", raw.error))
        return plan
    keep: set[str] = set()
    for entry in expand_locations(raw):
        _plan_entry(plan, entry, keep, now=now)
    if plan.rejected:
        return plan
    _match_employers(source, plan)
    plan.to_close = [key for key, known in existing.items() if known.active and key not in keep]
    return plan


def _adopt_legacy_keys(unique: list[RawRecord], existing: dict[str, Existing], plan: Plan) -> None:
    """Records stored under the key they had before identifiers were qualified ("123", now "zhaopin:123"; and
    their per-city entries "123@320500") are the same records: renamed in ``existing`` here, in the tables by
    ``write_plan``, so an upgrade neither closes nor recreates a single vacancy."""
    if not existing:
        return
    per_city: dict[str, list[str]] = {}
    for key in existing:
        if "@" in key:
            per_city.setdefault(key.rsplit("@", 1)[0], []).append(key)
    for raw in unique:
        ext = raw.external_id
        if ext in existing:  # the usual case, answered by one look-up
            continue
        legacy = raw.legacy_id
        if not legacy:
            continue
        for old in (legacy, *per_city.get(legacy, ())):
            new = ext + old.removeprefix(legacy)
            if old in existing and new not in existing:
                existing[new] = existing.pop(old)
                plan.renamed.append((old, new))


def _warning_issue(record: NormalRecord, warning: Warning_) -> Issue:
    return Issue(
        IssueSeverity.WARNING, record.external_id, record.position, warning.field, warning.reason, warning.value[:200]
    )


def _match_employers(source: FeedSource, plan: Plan) -> None:
    """Employer by USCC; else by what staff matched this source's name to (``EmployerAlias``); else by normalised
    name and city. Read-only: an employer the feed names without a USCC that matches nothing is created, unmatched,
    when the plan is applied (``_ensure_employers``), and its vacancies wait for staff to match or verify it."""
    records = plan.records
    usccs = {r.uscc for r in records if r.uscc}
    by_uscc = dict(Employer.objects.filter(uscc__in=usccs).values_list("uscc", "id")) if usccs else {}
    named = [r.employer_name for r in records if not r.uscc]
    wanted = {normalise_name(name) for name in named}
    # Looked up as normalised and as written (upper-cased): NFKC turns "（上海）" into "(上海)", and a name stored as
    # a feed wrote it keeps its full-width brackets; the comparison below is on the normalised form either way.
    candidates = wanted | {name.upper() for name in named}
    by_name: dict[tuple[str, str], int] = {}
    aliases: dict[str, int] = {}
    refused: set[int] = set()  # unmatched employers staff refused: their vacancies are not taken again
    if wanted:
        aliases = dict(
            EmployerAlias.objects.filter(source=source, name_key__in=wanted).values_list("name_key", "employer_id")
        )
        rows = (
            Employer.objects.annotate(upper_name=Upper("name"))
            .filter(upper_name__in=candidates)
            .order_by("id")
            .values_list("name", "city_id", "id", "uscc", "verification_state")
        )
        for name, city_id, pk, uscc, state in rows:
            by_name.setdefault((normalise_name(name), city_id), pk)
            if uscc is None and state == VerificationState.REJECTED:
                refused.add(pk)
    kept = []
    for record in records:
        if record.uscc:
            record.employer_id = by_uscc.get(record.uscc)
            kept.append(record)
            continue
        key = normalise_name(record.employer_name)
        record.employer_id = (
            aliases.get(key) or by_name.get((key, record.employer_city_id)) or by_name.get((key, record.city_id))
        )
        if record.employer_id in refused:
            plan.issues.append(
                Issue(
                    IssueSeverity.REJECTED,
                    record.external_id,
                    record.position,
                    "employer_name",
                    _("单位“%(name)s”未通过核验，其职位不再导入；如有误，请联系工作人员")
                    % {"name": record.employer_name},
                    record.employer_name,
                )
            )
            continue
        if record.employer_id is None:
            plan.issues.append(
                Issue(
                    IssueSeverity.WARNING,
                    record.external_id,
                    record.position,
                    "uscc",
                    _(
                        "单位“%(name)s”未在平台登记，记录也没有统一社会信用代码：已建为待核验单位，"
                        "职位待工作人员匹配或核验单位后发布"
                    )
                    % {"name": record.employer_name},
                    record.employer_name,
                )
            )
        kept.append(record)
    plan.records = kept


# --- write ---

# The stage table of changed records: the feed's own columns, then the vacancy's (jobs.bulk).
_STAGE_COLUMNS = (("ext", "text"), ("job_id", "bigint"), ("hash", "text"), ("match_key", "text"), *bulk.STAGE_COLUMNS)
_COPY_RECORDS = (
    "COPY feeds_feedrecord (job_id, external_id, content_hash, match_key, source_id, active, first_seen_at, "
    "changed_at) FROM STDIN WITH (FORMAT csv)"
)
_COPY_STAGE = (
    f"COPY feeds_stage ({', '.join(n for n, _t in _STAGE_COLUMNS)}) FROM STDIN WITH (FORMAT csv, {bulk.NULLABLE})"
)


def _repeat_key(record: NormalRecord) -> tuple:
    """What makes two records of one feed the same posting under two ids: employer, title and city (the match key),
    the description, and the terms — a posting that differs in salary, headcount or requirements is another one."""
    return (
        record.match_key,
        hashlib.blake2b(record.raw_description.encode(), digest_size=12).digest(),
        record.salary_text,
        record.employment_type,
        record.education,
        record.experience,
        record.headcount,
        record.category,
        record.tags,
        record.cohort,
    )


def match_key(employer_id: int, norm_title: str, city_id: str) -> str:
    return hashlib.blake2b(f"{employer_id}|{norm_title}|{city_id}".encode(), digest_size=16).hexdigest()


WRITE_CHUNK = 5000
_COPY_READ = 1 << 20  # bytes handed to COPY per read


@dataclass
class _Chunk:
    """One chunk's COPY data: new vacancies, new provenance rows (new and merged), and changed vacancies."""

    jobs: io.StringIO | io.BytesIO | None = field(default_factory=io.StringIO)
    records: io.StringIO | io.BytesIO | None = field(default_factory=io.StringIO)
    updates: io.StringIO | io.BytesIO | None = field(default_factory=io.StringIO)
    created: int = 0
    merged: int = 0
    updated: int = 0

    def encode(self) -> None:
        """The text as UTF-8 bytes, in one call each, for COPY to send as it is (psycopg2 would otherwise encode
        it 8 KB at a time on the write thread, holding the GIL)."""
        self.jobs, self.records, self.updates = (
            io.BytesIO(buffer.getvalue().encode()) for buffer in (self.jobs, self.records, self.updates)
        )


def write_plan(source: FeedSource, plan: Plan, *, now: datetime) -> Outcome:
    """Apply a plan in the caller's transaction. Returns what was written.

    New vacancies and their provenance rows are COPYed straight into ``jobs_jobposting`` and ``feeds_feedrecord``,
    with ids taken from the vacancies' sequence beforehand; changed ones go through a temporary stage table and one
    UPDATE … FROM. Rows go to PostgreSQL in chunks: while one chunk's statements run on a helper thread (psycopg2
    releases the GIL while the server works), this thread builds the documents and serialises the next, so Python
    and the database work at the same time. Both use the same connection, one at a time, in the same transaction.
    """
    outcome = Outcome()
    records = plan.records
    if plan.renamed:
        rename_records(source, plan.renamed)
    employers = _ensure_employers(source, records)
    default_industry = source.default_industry_id or FALLBACK_INDUSTRY
    for record in records:
        record.match_key = match_key(record.employer_id, record.norm_title, record.city_id)

    # New to this source: another centre's open vacancy with the same employer, title and city is the same job.
    new_keys = {r.match_key for r in records if r.external_id not in plan.existing}
    merge_into = _merge_candidates(source, new_keys) if new_keys else {}
    claimed: set[int] = set()
    targets: list[tuple[str, int | None]] = []  # (kind, vacancy id) per record
    first_of: dict[tuple[str, str], int] = {}  # same posting under another id in this feed → index of the first
    for index, record in enumerate(records):
        known = plan.existing.get(record.external_id)
        if known is not None:
            targets.append(("update", known.job_id))
        elif record.match_key in merge_into and merge_into[record.match_key] not in claimed:
            claimed.add(merge_into[record.match_key])
            targets.append(("merge", merge_into[record.match_key]))
        else:
            twin = _repeat_key(record)
            if twin in first_of:
                first = records[first_of[twin]]
                targets.append(("alias", first_of[twin]))
                plan.issues.append(
                    Issue(
                        IssueSeverity.WARNING,
                        record.external_id,
                        record.position,
                        "id",
                        _("与编号 %(first)s 的职位相同（单位、职位、城市和描述一致），已合并为一个职位")
                        % {"first": first.external_id},
                    )
                )
            else:
                first_of[twin] = index
                targets.append(("new", None))
    new_ids = iter(bulk.next_ids(sum(1 for kind, _id in targets if kind == "new")))
    for index, (kind, _id) in enumerate(targets):  # ids first, so a repeat can name its original's vacancy
        if kind == "new":
            targets[index] = ("new", next(new_ids))
    for index, (kind, first) in enumerate(targets):
        if kind == "alias":
            targets[index] = ("merge", targets[first][1])

    params = {
        **bulk.parameters(
            now=now, reason="", reopen_reason=_("合作方职位源“%(source)s”重新列出该职位") % {"source": source.name}
        ),
        "source": source.pk,
    }
    staged = any(kind == "update" for kind, _id in targets)
    with connection.cursor() as cursor:
        if staged:
            columns = ", ".join(f"{name} {type_}" for name, type_ in _STAGE_COLUMNS)
            cursor.execute(f"CREATE TEMPORARY TABLE feeds_stage ({columns}) ON COMMIT DROP")
        # Check the foreign keys of each chunk's rows at the end of its statements, on the write thread while this
        # thread prepares the next chunk, instead of all at COMMIT with nothing else to do (Django declares them
        # DEFERRABLE INITIALLY DEFERRED). Same checks, same outcome: a violation aborts the whole sync either way.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    raw_connection = connection.connection
    source_id, centre_id, published = source.pk, source.centre_id, JobStatus.PUBLISHED
    in_review = JobStatus.PENDING
    held: list[tuple[int, int]] = []  # (new vacancy, employer) waiting for review
    stamp = str(now)  # what the csv writer would write for the datetime, formatted once
    moments = _Texts()  # valid_through / published_at repeat thousands of times
    pending = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="feeds-write") as executor:
        for start in range(0, len(records), WRITE_CHUNK):
            chunk = _Chunk()
            write_job = _csv_writer(chunk.jobs)
            write_record = _csv_writer(chunk.records)
            write_update = _csv_writer(chunk.updates)
            for record, (kind, job_id) in zip(
                records[start : start + WRITE_CHUNK], targets[start : start + WRITE_CHUNK], strict=True
            ):
                employer_name, employer_industry, write_as = employers[record.employer_id]
                direct = write_as == PUBLISH
                industry_id = record.industry_code or employer_industry or default_industry
                if kind == "merge":
                    chunk.merged += 1
                    write_record(
                        (
                            job_id,
                            record.external_id,
                            record.content_hash,
                            record.match_key,
                            source_id,
                            True,
                            stamp,
                            stamp,
                        )
                    )
                    continue
                document = vacancy_document(
                    title=record.title,
                    employer_name=employer_name,
                    province_name=record.province_name,
                    city_name=record.city_name,
                    address=record.address,
                    industry_name=industry_name(industry_id),
                    category=record.category,
                    tags=record.tags,
                    description=record.description,
                )
                fields = (
                    record.employer_id,
                    record.title,
                    record.description,
                    record.city_id,
                    record.address,
                    industry_id,
                    record.category,
                    record.tags,
                    record.employment_type,
                    record.education,
                    record.experience,
                    record.headcount,
                    record.salary_min,
                    record.salary_max,
                    record.salary_months,
                    record.salary_negotiable,
                    record.salary_text,
                    record.salary_unparsed,
                    record.fresh_graduate,
                    record.cohort,
                    record.experience_text,
                    record.original_url,
                    record.direct_apply,
                    record.remote,
                    moments[record.valid_through],
                    moments[record.published_at],
                    document,
                )
                if kind == "update":
                    chunk.updated += 1
                    write_update((record.external_id, job_id, record.content_hash, record.match_key, *fields))
                    continue
                chunk.created += 1
                if not direct:
                    held.append((job_id, record.employer_id))
                write_job(
                    (
                        job_id,
                        *fields,
                        published if direct else in_review,
                        "",
                        centre_id,
                        f"{source_id}/{record.external_id}",
                        record.content_hash,
                        stamp,
                        stamp,
                    )
                )
                write_record(
                    (job_id, record.external_id, record.content_hash, record.match_key, source_id, True, stamp, stamp)
                )
            chunk.encode()
            pending.append(executor.submit(_write_chunk, raw_connection, chunk, params))
        for future in pending:
            chunk = future.result()
            outcome.updated += chunk.updated
            outcome.created += chunk.created
            outcome.merged += chunk.merged

    if held:
        unmatched = {pk for pk, (_n, _i, write_as) in employers.items() if write_as == UNMATCHED}
        outcome.held = len(held)
        outcome.unmatched = sum(1 for _job, employer_id in held if employer_id in unmatched)
        hold_for_review(source=source, held=held, unmatched=unmatched, now=now)
    with connection.cursor() as cursor:
        if plan.to_close:
            outcome.closed = close_missing(cursor, source=source, external_ids=plan.to_close, now=now)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's default for the rest of the transaction
        if staged:
            cursor.execute("DROP TABLE feeds_stage")  # ON COMMIT DROP is the safety net; a caller's outer
            # transaction (a test, a batch of syncs) may run several syncs before it commits.
    return outcome


class _Texts(dict):
    """str(value) per value, computed once."""

    def __missing__(self, value):
        text = self[value] = str(value)
        return text


def _csv_writer(buffer: io.StringIO):
    return csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerow


_UPDATE_JOBS = bulk.update_from_stage("feeds_stage")
_AUDIT_REOPENED = bulk.audit_reopened("feeds_stage")  # run before _UPDATE_JOBS: it is what tells a reopen apart
_UPDATE_RECORDS = """
    UPDATE feeds_feedrecord r SET content_hash = s.hash, match_key = s.match_key, active = true,
        removed_at = NULL, changed_at = %(now)s
    FROM feeds_stage s WHERE r.source_id = %(source)s AND r.external_id = s.ext
"""


def _write_chunk(raw_connection, chunk: _Chunk, params: dict) -> _Chunk:
    """One chunk's COPYs (vacancies before the provenance rows that refer to them) and UPDATEs; on the write
    thread."""
    with raw_connection.cursor() as cursor:
        if chunk.created:
            cursor.copy_expert(bulk.COPY_NEW, chunk.jobs, size=_COPY_READ)
        if chunk.created or chunk.merged:
            cursor.copy_expert(_COPY_RECORDS, chunk.records, size=_COPY_READ)
        if chunk.updated:
            cursor.copy_expert(_COPY_STAGE, chunk.updates, size=_COPY_READ)
            cursor.execute(_AUDIT_REOPENED, params)
            cursor.execute(_UPDATE_JOBS, params)
            cursor.execute(_UPDATE_RECORDS, params)
            cursor.execute("TRUNCATE feeds_stage")
    chunk.jobs = chunk.records = chunk.updates = None  # free the text while later chunks are written
    return chunk


def rename_records(source: FeedSource, renamed: list[tuple[str, str]]) -> None:
    """Store the source's records (and the vacancies they first brought) under their keys as read now."""
    olds, news = [old for old, _new in renamed], [new for _old, new in renamed]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH names AS (SELECT * FROM unnest(%(olds)s::text[], %(news)s::text[]) AS n(old, new))
            UPDATE feeds_feedrecord r SET external_id = names.new FROM names
            WHERE r.source_id = %(source)s AND r.external_id = names.old
            """,
            {"olds": olds, "news": news, "source": source.pk},
        )
        prefix = f"{source.pk}/"
        cursor.execute(
            """
            WITH names AS (SELECT * FROM unnest(%(olds)s::text[], %(news)s::text[]) AS n(old, new))
            UPDATE jobs_jobposting j SET external_id = %(prefix)s || names.new FROM names
            WHERE j.external_id = %(prefix)s || names.old
            """,
            {"olds": olds, "news": news, "prefix": prefix},
        )


_CLOSE_UNLISTED = bulk.close_and_audit(
    candidates="SELECT job_id FROM gone",
    # still listed: by another centre, or by this one under another id (a repeat)
    condition="""NOT EXISTS (
        SELECT 1 FROM feeds_feedrecord r
        WHERE r.job_id = j.id AND r.active AND NOT (r.source_id = %(source)s AND r.external_id = ANY(%(ids)s))
    )""",
)

_CLOSE_MISSING = f"""
    WITH gone AS (
        UPDATE feeds_feedrecord SET active = false, removed_at = %(now)s
        WHERE source_id = %(source)s AND active AND external_id = ANY(%(ids)s)
        RETURNING job_id
    ), {_CLOSE_UNLISTED}
"""  # noqa: S608 - constants


def close_missing(cursor, *, source: FeedSource, external_ids: list[str], now: datetime) -> int:
    """Deactivate this source's provenance; close the vacancies nothing else still lists (another centre, or this
    feed under another id)."""
    reason = _("合作方职位源“%(source)s”不再列出该职位") % {"source": source.name}
    cursor.execute(
        _CLOSE_MISSING,
        {
            **bulk.parameters(now=now, reason=reason, reopen_reason=""),
            "source": source.pk,
            "ids": list(external_ids),
        },
    )
    return cursor.rowcount


def _merge_candidates(source: FeedSource, keys: set[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.match_key, min(r.job_id) FROM feeds_feedrecord r
            JOIN jobs_jobposting j ON j.id = r.job_id
            WHERE r.match_key = ANY(%(keys)s) AND r.active AND r.source_id <> %(source)s AND j.status = %(published)s
              AND NOT EXISTS (SELECT 1 FROM feeds_feedrecord o WHERE o.job_id = r.job_id AND o.source_id = %(source)s)
            GROUP BY r.match_key
            """,
            {"keys": list(keys), "source": source.pk, "published": JobStatus.PUBLISHED},
        )
        return dict(cursor.fetchall())


def _ensure_employers(source: FeedSource, records: list[NormalRecord]) -> dict[int, tuple[str, str, str]]:
    """Create the employers the feed names that we do not know yet: by USCC as pending (public as imported), without
    one as unmatched (in the match queue, nothing public). Return id → (name, industry, how a new vacancy of the
    employer is written: ``PUBLISH``, ``HOLD`` for review, or ``UNMATCHED`` until staff match the employer)."""
    default_industry = source.default_industry_id or FALLBACK_INDUSTRY

    def new_employer(record: NormalRecord, **fields) -> Employer:
        return Employer(
            name=record.employer_name,
            ownership=record.ownership,
            industry_id=record.industry_code or default_industry,
            city_id=record.employer_city_id,
            website=record.employer_website,
            logo_source_url=record.employer_logo_url,
            source_centre_id=source.centre_id,
            **fields,
        )

    missing: dict[str, NormalRecord] = {}
    unknown: dict[tuple[str, str], NormalRecord] = {}  # (name, city) → first record naming it
    for record in records:
        if record.employer_id is not None:
            continue
        if record.uscc:
            missing.setdefault(record.uscc, record)
        else:
            unknown.setdefault((normalise_name(record.employer_name), record.employer_city_id), record)
    if missing:
        Employer.objects.bulk_create(
            [new_employer(r, uscc=r.uscc, verification_state=VerificationState.PENDING) for r in missing.values()],
            ignore_conflicts=True,  # another source's sync may have created it a moment ago
        )
        created = dict(Employer.objects.filter(uscc__in=list(missing)).values_list("uscc", "id"))
        for record in records:
            if record.employer_id is None and record.uscc:
                record.employer_id = created[record.uscc]
    if unknown:
        placeholders = Employer.objects.bulk_create(
            [new_employer(r, uscc=None, verification_state=VerificationState.UNMATCHED) for r in unknown.values()]
        )
        ids = {key: employer.pk for key, employer in zip(unknown, placeholders, strict=True)}
        for record in records:
            if record.employer_id is None:
                record.employer_id = ids[(normalise_name(record.employer_name), record.employer_city_id)]
    if missing or unknown:
        created_ids = [*(created.values() if missing else ()), *(ids.values() if unknown else ())]
        logos_fetch_later(
            list(
                Employer.objects.filter(pk__in=created_ids, logo="")
                .exclude(logo_source_url="")
                .values_list("pk", flat=True)
            )
        )
    ids = {r.employer_id for r in records}
    represented = set(source.represented_employers.filter(pk__in=ids).values_list("pk", flat=True))
    rows = Employer.objects.filter(pk__in=ids).values_list(
        "id", "name", "industry_id", "city__province_id", "source_centre_id", "verification_state"
    )
    return {
        pk: (
            name,
            industry,
            UNMATCHED
            if state == VerificationState.UNMATCHED
            else PUBLISH
            if may_publish_for(source, province=province, introduced_by=introducer, linked=pk in represented)
            else HOLD,
        )
        for pk, name, industry, province, introducer, state in rows
    }


# How a sync writes a new vacancy of an employer (``_ensure_employers``).
PUBLISH, HOLD, UNMATCHED = "publish", "hold", "unmatched"


def may_publish_for(source: FeedSource, *, province: str, introduced_by: int | None, linked: bool) -> bool:
    """Whether a source's new vacancy for an employer is published at once, or held for review (the one rule).

    Trusted sources publish for anyone; "review" sources for no one; by default a source speaks only for employers
    of its own centre's province that it introduced (created from its feed) or that staff linked to it. A feed that
    names another centre's or another province's employer — a verified one above all — waits for that employer's
    province staff to approve, and the employer is told. (An employer nobody has matched or verified yet is held
    whatever the trust: ``UNMATCHED``.)"""
    if source.trust == FeedTrust.TRUSTED:
        return True
    if source.trust == FeedTrust.REVIEW:
        return False
    return province == source.centre.province_id and (introduced_by == source.centre_id or linked)


def hold_for_review(*, source: FeedSource, held: list[tuple[int, int]], unmatched: set[int], now: datetime) -> None:
    """The audit rows of the new vacancies a sync held (written pending, in bulk): for employers the feed does not
    represent — one mail to each such employer's recruiters — or for employers still to be matched (``unmatched``
    employer ids), which have no one to tell yet."""
    on_behalf = _("由合作中心“%(centre)s”的职位源以本单位名义提交，待单位所在地工作人员审核") % {
        "centre": source.centre.name
    }
    to_match = _("单位未在平台登记（合作源未提供统一社会信用代码），待工作人员匹配或核验单位后按规则发布")
    JobReview.objects.bulk_create(
        [
            JobReview(
                job_id=job_id,
                decision=ReviewDecision.SUBMITTED,
                reason=to_match if employer_id in unmatched else on_behalf,
                at=now,
            )
            for job_id, employer_id in held
        ]
    )
    counts: dict[int, int] = {}
    for _job, employer_id in held:
        if employer_id not in unmatched:
            counts[employer_id] = counts.get(employer_id, 0) + 1
    for employer in Employer.objects.filter(pk__in=counts):
        mail_on_commit(
            template_prefix="feeds/email/held_for_employer",
            context={"employer": employer, "centre": source.centre, "count": counts[employer.pk]},
            to=recruiter_emails(employer),
        )


def save_issues(run: SyncRun, issues: list[Issue], *, limit: int) -> None:
    SyncIssue.objects.bulk_create(
        [
            SyncIssue(
                run=run,
                severity=i.severity,
                record_id=i.record_id[:200],
                line=i.line,
                field=i.field,
                reason=i.reason,
                value=i.value[:200],
            )
            for i in issues[:limit]
        ],
        batch_size=1000,
    )


def apply_feed(
    source: FeedSource, run: SyncRun, body: bytes, *, force: bool = False, progress: Progress | None = None
) -> Plan:
    """Parse, plan and (unless held) write one feed body for ``run``. Fills the run's counts and timings.

    Raises ``FeedParseError`` before anything is written. Returns the plan; ``plan.hold_reason`` says it was held.
    The cyclic garbage collector is paused meanwhile: a feed allocates millions of small, acyclic objects, and the
    collector's repeated passes over them cost nearly half the parse time (bench/feeds.py).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _apply_feed(source, run, body, force=force, progress=progress)
    finally:
        if collecting:
            gc.enable()


def _apply_feed(source: FeedSource, run: SyncRun, body: bytes, *, force: bool, progress: Progress | None) -> Plan:
    from django.conf import settings

    timings: dict[str, float] = {}
    now = timezone.now()
    started = time.perf_counter()
    raws, fetched = read_records(body, format=source.format, encoding=source.encoding, progress=progress)
    timings["parse"] = round(time.perf_counter() - started, 3)
    run.fetched = fetched

    mark = time.perf_counter()
    plan = plan_sync(source, raws, fetched=fetched, now=now, force=force, progress=progress)
    timings["normalise"] = round(time.perf_counter() - mark, 3)
    run.unchanged = plan.unchanged
    run.rejected = plan.rejected
    run.warnings = plan.warnings
    run.would_close = len(plan.to_close)
    if plan.hold_reason:
        run.timings = {**run.timings, **timings}
        with transaction.atomic():
            save_issues(run, plan.issues, limit=settings.FEEDS_MAX_ISSUES_PER_RUN)
        return plan

    if progress:
        progress("write", 0)
    mark = time.perf_counter()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            # The commit need not wait for the WAL flush: if the server crashed in the next fraction of a second,
            # this transaction would be lost whole (never half-applied), and the sync is idempotent: the run's
            # "success" is written by a later, synchronous commit, whose flush also makes this one durable, so a
            # lost sync leaves its run "running" and the next sync (or the task's redelivery) applies the feed
            # again. Only when this is the real transaction: a caller's outer transaction keeps its own setting.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        lock_source(source)
        outcome = write_plan(source, plan, now=now)
        events_announce()  # partners' webhooks and instant alerts follow the sync's events once it commits
        run.warnings = plan.warnings  # writing may add some (a posting repeated under another id)
        save_issues(run, plan.issues, limit=settings.FEEDS_MAX_ISSUES_PER_RUN)
        run.created, run.updated, run.merged, run.closed, run.held, run.unmatched = (
            outcome.created,
            outcome.updated,
            outcome.merged,
            outcome.closed,
            outcome.held,
            outcome.unmatched,
        )
        timings["write"] = round(time.perf_counter() - mark, 3)
        run.timings = {**run.timings, **timings}
        run.save()
    return plan
