"""Feed sync services: the one way to run, request, schedule and apply a partner feed sync.

Admin actions, the Celery tasks, the dispatcher and ``manage.py feed_import`` all call these.
"""

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from jobs.events import events_announce
from jobs.models import JobPosting
from talentfair.core.errors import ApplicationError
from talentfair.core.queue import enqueue
from talentfair.core.tracing import current_trace_id

from .fetch import FetchError, RetryableFetchError, fetch, validate_public_url
from .models import FeedRecord, FeedSource, IssueSeverity, RunStatus, RunTrigger, SyncRun
from .normalise import MAX_ID_LENGTH
from .parsers import JSONLD_PROPERTIES, FeedParseError, is_job_posting, jsonld_key, parse_jsonld
from .pipeline import Issue, apply_feed, close_missing, lock_source, plan_push, write_plan

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 6_0001  # first key of pg_try_advisory_lock(int, int); the second is the source id


@contextlib.contextmanager
def source_lock(source_id: int) -> Iterator[bool]:
    """A session-level advisory lock on this process's own connection: released on exit, or when a dead worker's
    connection closes, so it can never outlive the sync that holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, source_id])


def _update_run(run: SyncRun, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    SyncRun.objects.filter(pk=run.pk).update(**fields)


def feed_sync_request(
    *, source: FeedSource, by: User | None = None, trigger: str = RunTrigger.MANUAL, applies: SyncRun | None = None
) -> SyncRun:
    """Queue a sync of ``source``: a ``SyncRun`` in state "queued" now, the Celery task once this commits."""
    with transaction.atomic():
        run = SyncRun.objects.create(
            source=source, trigger=trigger, requested_by=by, applies=applies, trace_id=current_trace_id()
        )
        transaction.on_commit(lambda: enqueue_run(run.pk))
    return run


@transaction.atomic
def feed_source_save(*, source: FeedSource, by: User | None) -> FeedSource:
    """Create or change a partner feed source (staff in admin, ``feeds_demo``). The address obeys the public-address
    rule. Without a next sync time an enabled source is due at once (the dispatcher queues it within a minute); a
    changed interval takes effect from the next sync."""
    source.url = validate_public_url(source.url)
    source.full_clean()
    source.save()
    return source


def enqueue_run(run_id: int) -> None:
    enqueue("feeds.sync_source", args=[run_id], queue=settings.CELERY_FEEDS_QUEUE)


def sync_run_apply(*, run: SyncRun, by: User | None) -> SyncRun:
    """Staff confirm a held run: sync the source again with the close-share and empty-feed guards lifted."""
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().select_related("source").get(pk=run.pk)
        if run.status != RunStatus.HELD:
            raise ApplicationError(_("只有“待确认”的同步可以确认生效"))
        if SyncRun.objects.filter(applies=run, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
            raise ApplicationError(_("该同步已在确认处理中"))
        return feed_sync_request(source=run.source, by=by, trigger=RunTrigger.APPLY, applies=run)


def feed_sync(
    *,
    run: SyncRun,
    body: bytes | None = None,
    progress: Callable[[str, int], None] | None = None,
    format: str | None = None,
) -> SyncRun:
    """Run one queued ``SyncRun``: fetch (unless ``body`` is given), then parse, normalise and upsert.

    Never two at once for one source: a second one finds the lock taken and is marked "skipped". Raises
    ``RetryableFetchError`` after recording it, so the task can retry; every other failure ends in the run's
    ``error`` and nothing else changed.
    """
    source = FeedSource.objects.get(pk=run.source_id)  # fresh: validators (ETag) change between runs
    if format:
        source.format = format  # a one-off override (feed_import --format), never saved
    run.source = source
    force = run.trigger == RunTrigger.APPLY
    with source_lock(source.pk) as acquired:
        if not acquired:
            _update_run(
                run,
                status=RunStatus.SKIPPED,
                finished_at=timezone.now(),
                error=_("该职位源的另一次同步正在进行，本次跳过"),
            )
            return run
        _update_run(
            run,
            status=RunStatus.RUNNING,
            started_at=timezone.now(),
            finished_at=None,
            stage="fetch",
            processed=0,
            error="",
            attempts=run.attempts + 1,
        )

        def report(stage: str, count: int) -> None:
            _update_run(run, stage=stage, processed=count)
            if progress:
                progress(stage, count)

        try:
            if body is None:
                started = time.perf_counter()
                header = (source.auth_header_name, source.auth_header_value) if source.auth_header_name else None
                result = fetch(
                    source.url,
                    etag="" if force else source.etag,
                    last_modified="" if force else source.last_modified,
                    auth_header=header,
                )
                run.timings = {"fetch": round(time.perf_counter() - started, 3)}
                _update_run(run, http_status=result.status, bytes_fetched=len(result.body or b""), timings=run.timings)
                if result.not_modified:
                    _finish(run, RunStatus.NOT_MODIFIED)
                    return run
                body = result.body or b""  # None only for a 304, answered above
            else:
                result = None
            report("parse", 0)
            plan = apply_feed(source, run, body, force=force, progress=report)
        except RetryableFetchError as exc:
            _finish(run, RunStatus.FAILED, error=str(exc))
            raise
        except (FetchError, FeedParseError) as exc:
            _finish(run, RunStatus.FAILED, error=str(exc))
            return run
        except SoftTimeLimitExceeded:
            _finish(run, RunStatus.FAILED, error=_("同步超过时间上限，已中止，未作任何更改"))
            return run
        except Exception as exc:
            logger.exception("feed sync %s failed", run.pk)
            _finish(run, RunStatus.FAILED, error=_("内部错误（%(kind)s），未作任何更改") % {"kind": type(exc).__name__})
            raise
        if plan.hold_reason:
            _finish(run, RunStatus.HELD, error=plan.hold_reason, save_counts=True)
            return run
        _finish(run, RunStatus.SUCCESS, save_counts=True)
        if result is not None:
            FeedSource.objects.filter(pk=source.pk).update(etag=result.etag, last_modified=result.last_modified)
        if run.applies_id:
            SyncRun.objects.filter(pk=run.applies_id, status=RunStatus.HELD).update(status=RunStatus.APPLIED)
    return run


def _finish(run: SyncRun, status: str, *, error: str = "", save_counts: bool = False) -> None:
    fields = {"status": status, "finished_at": timezone.now(), "stage": "", "error": error}
    if save_counts:
        for name in (
            "fetched",
            "created",
            "updated",
            "merged",
            "held",
            "unchanged",
            "closed",
            "rejected",
            "warnings",
            "would_close",
            "timings",
        ):
            fields[name] = getattr(run, name)
        fields["processed"] = run.fetched
    _update_run(run, **fields)
    logger.info(
        "feed sync %s (%s) %s: %d fetched, %d created, %d updated, %d closed, %d rejected%s",
        run.pk,
        run.source.slug,
        status,
        run.fetched,
        run.created,
        run.updated,
        run.closed,
        run.rejected,
        f" - {error}" if error else "",
    )


def runs_abandoned(*, now: datetime | None = None) -> list[int]:
    """Mark failed every run left "running" by a worker that died (killed, machine lost): a live sync always holds
    its source's advisory lock, which PostgreSQL releases the moment the dead worker's connection goes, so a run
    that says "running" while nobody holds the lock is dead. Called by the dispatcher every minute, so a source
    is free again within a minute or two, not after the hour of the hard time limit. Returns the runs' ids."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {SyncRun._meta.db_table} r
            SET status = %(failed)s, finished_at = %(now)s, stage = '', error = %(error)s
            WHERE r.status = %(running)s
              AND NOT EXISTS (
                  SELECT 1 FROM pg_locks l
                  WHERE l.locktype = 'advisory' AND l.granted AND l.database = (
                      SELECT oid FROM pg_database WHERE datname = current_database()
                  )
                    AND l.classid = %(namespace)s AND l.objid = r.source_id AND l.objsubid = 2
              )
            RETURNING r.id
            """,  # noqa: S608 - the table name is ours, every value a parameter
            {
                "failed": RunStatus.FAILED,
                "running": RunStatus.RUNNING,
                "now": now,
                "namespace": LOCK_NAMESPACE,
                "error": str(_("执行同步的进程已意外停止（未持有同步锁），本次同步未作任何更改")),
            },
        )
        return [row[0] for row in cursor.fetchall()]


def feeds_dispatch_due(*, now: datetime | None = None) -> list[SyncRun]:
    """Queue a sync for every enabled source whose time has come (called every minute by Celery beat).

    Sources are claimed with SKIP LOCKED and their next time moved on in the same transaction, so two dispatchers
    never queue the same source twice; a source whose previous run is still queued or running is not queued again.
    Runs left "running" by a worker that died are marked failed first (``runs_abandoned``), so their sources are
    queued again; the hard-time-limit rule stays as a second net.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.FEEDS_TIME_LIMIT + 300)
    runs_abandoned(now=now)
    SyncRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=stale).update(
        status=RunStatus.FAILED, finished_at=now, error=_("执行同步的进程已停止（超过硬性时间上限）")
    )
    runs = []
    with transaction.atomic():
        sources = list(FeedSource.objects.due(now).select_for_update(skip_locked=True))
        busy = set(
            SyncRun.objects.filter(
                source__in=sources, status__in=[RunStatus.QUEUED, RunStatus.RUNNING], queued_at__gte=stale
            ).values_list("source_id", flat=True)
        )
        for source in sources:
            FeedSource.objects.filter(pk=source.pk).update(next_sync_at=source.schedule_next(now))
            if source.pk not in busy:
                runs.append(feed_sync_request(source=source, trigger=RunTrigger.SCHEDULE))
    return runs


# --- partners push: one record at a time, into the same source, rules and provenance rows as its pulled feed ---


@dataclass
class PushResult:
    """What a push did: ``created`` (published now), ``held`` (waiting for review), ``updated``, ``unchanged``,
    ``closed`` or ``not_found``; the catalogue vacancies the record is now, and the normaliser's warnings."""

    outcome: str
    jobs: list[JobPosting] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def _check_push_id(external_id: str) -> str:
    external_id = (external_id or "").strip()
    if not external_id or len(external_id) > MAX_ID_LENGTH or "@" in external_id or not external_id.isprintable():
        raise ValidationError({"external_id": _("职位编号须为 1–%(n)d 个可见字符，且不含“@”。") % {"n": MAX_ID_LENGTH}})
    return external_id


def _family(source: FeedSource, external_id: str) -> models.QuerySet[FeedRecord]:
    """The source's active records for ``external_id``: the id itself and its per-city entries ``<id>@<city>``."""
    return FeedRecord.objects.filter(source=source, active=True).filter(
        models.Q(external_id=external_id) | models.Q(external_id__startswith=f"{external_id}@")
    )


def _family_jobs(source: FeedSource, external_id: str) -> list[JobPosting]:
    return list(JobPosting.objects.filter(pk__in=_family(source, external_id).values("job_id")).order_by("pk"))


def feed_push(*, source: FeedSource, external_id: str, document: Any) -> PushResult:
    """Create or replace the vacancy ``source`` lists as ``external_id`` from one schema.org JobPosting object, as
    a sync of its feed would: the same parsing, normalisation, employer matching, trust level and review queue,
    and the same provenance rows (a later pull of the feed sees the record as known). Idempotent: the same document
    pushed again changes nothing. A record that cannot be read is refused whole with ``ValidationError`` (field →
    reasons) and nothing is written."""
    external_id = _check_push_id(external_id)
    if not is_job_posting(document):
        raise ValidationError({"@type": _('请求体应为一个 schema.org JobPosting 对象（"@type": "JobPosting"）。')})
    stated = jsonld_key(document) if document.get("identifier") not in (None, "") else ""
    if stated and stated != external_id:
        raise ValidationError(
            {
                "identifier": _("identifier“%(stated)s”与地址中的编号“%(id)s”不一致。")
                % {"stated": stated[:100], "id": external_id}
            }
        )
    raw = next(parse_jsonld({**document, "identifier": external_id}))
    now = timezone.now()
    with transaction.atomic():
        lock_source(source)
        plan = plan_push(source, raw, now=now)
        refused = [issue for issue in plan.issues if issue.severity == IssueSeverity.REJECTED]
        if refused:
            errors: dict[str, list[str]] = {}
            for issue in refused:
                errors.setdefault(JSONLD_PROPERTIES.get(issue.field, issue.field or "record"), []).append(
                    str(issue.reason)
                )
            raise ValidationError(errors)
        known = any(key in plan.existing for key in [external_id, *(r.external_id for r in plan.records)])
        outcome = write_plan(source, plan, now=now)
        events_announce()
    warnings = [issue for issue in plan.issues if issue.severity != IssueSeverity.REJECTED]
    if outcome.held:
        result = "held"
    elif outcome.created or (outcome.merged and not known):
        result = "created"
    elif outcome.updated or outcome.merged or outcome.closed:
        result = "updated"
    else:
        result = "unchanged"
    return PushResult(result, _family_jobs(source, external_id), warnings)


def feed_push_delete(*, source: FeedSource, external_id: str) -> PushResult:
    """The partner withdrew ``external_id``: its provenance rows go inactive and the vacancies nothing else lists
    close (another centre listing the same vacancy keeps it open), as when a record leaves a pulled feed."""
    external_id = _check_push_id(external_id)
    with transaction.atomic():
        lock_source(source)
        keys = list(_family(source, external_id).values_list("external_id", flat=True))
        jobs = _family_jobs(source, external_id)
        if not keys:
            return PushResult("not_found")
        with connection.cursor() as cursor:
            close_missing(cursor, source=source, external_ids=keys, now=timezone.now())
        events_announce()
    for job in jobs:
        job.refresh_from_db()
    return PushResult("closed", jobs)
