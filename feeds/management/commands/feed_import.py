"""Run the feed pipeline by hand: ``manage.py feed_import PATH_OR_URL --source SLUG [--format F]``."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from feeds.fetch import FetchError, fetch
from feeds.models import FeedFormat, FeedSource, RunStatus, RunTrigger, SyncRun
from feeds.services import feed_sync

STAGES = {"fetch": "下载", "parse": "解析", "normalise": "校验", "index": "分词", "write": "写入"}


class Command(BaseCommand):
    help = "Import a partner feed from a file or an http(s) URL into the catalogue, as a sync of the given source."

    def add_arguments(self, parser):
        parser.add_argument("location", help="a file path or an http(s) URL")
        parser.add_argument("--source", required=True, help="the FeedSource slug the records belong to")
        parser.add_argument("--format", choices=FeedFormat.values, help="override the source's format")
        parser.add_argument("--apply", action="store_true", help="lift the empty-feed and close-share guards")

    def handle(self, *args, location: str, source: str, format: str | None, apply: bool, **options):
        try:
            feed_source = FeedSource.objects.select_related("centre").get(slug=source)
        except FeedSource.DoesNotExist:
            raise CommandError(f"No feed source with slug {source!r}.") from None
        if location.startswith(("http://", "https://")):
            try:
                body = fetch(location).body or b""
            except FetchError as exc:
                raise CommandError(str(exc)) from None
        else:
            path = Path(location)
            if not path.is_file():
                raise CommandError(f"No such file: {location}")
            body = path.read_bytes()
        run = SyncRun.objects.create(
            source=feed_source, trigger=RunTrigger.APPLY if apply else RunTrigger.COMMAND, queued_at=run_now()
        )
        run.source = feed_source
        total = _estimate(body, format or feed_source.format)
        started = time.monotonic()

        def progress(stage: str, count: int) -> None:
            self._bar(STAGES.get(stage, stage), count, total, started)

        feed_sync(run=run, body=body, progress=progress, format=format)
        run.refresh_from_db()
        self._bar(STAGES["write"], run.fetched, run.fetched, started)
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        run.refresh_from_db()
        summary = (
            f"run #{run.pk} {run.status}: fetched {run.fetched}, created {run.created} (held for review {run.held}, "
            f"of which waiting for their employer to be matched {run.unmatched}), updated {run.updated}, "
            f"merged {run.merged}, unchanged {run.unchanged}, closed {run.closed}, rejected {run.rejected}, "
            f"warnings {run.warnings} in {time.monotonic() - started:.1f}s"
        )
        if run.status in (RunStatus.SUCCESS,):
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(self.style.WARNING(summary))
            raise CommandError(run.error or run.status)

    def _bar(self, stage: str, count: int, total: int, started: float) -> None:
        width = 30
        done = min(count / total, 1.0) if total else 0.0
        bar = "#" * int(width * done) + "-" * (width - int(width * done))
        line = f"\r{stage} [{bar}] {count}/{total or '?'}  {time.monotonic() - started:.1f}s"
        sys.stderr.write(line)
        sys.stderr.flush()


def run_now():
    from django.utils import timezone

    return timezone.now()


def _estimate(body: bytes, format: str) -> int:
    """A rough record count for the progress bar."""
    if format == "csv":
        return max(body.count(b"\n") - 1, 0)
    if format == "xml":
        return body.count(b"<job ") + body.count(b"<job>")
    return body.count(b'"JobPosting"')
