"""Demo partner feeds for ``make run``: the sample files served by this dev server, synced by Celery.

Creates (or updates) an enabled source per sample — 江苏省人才流动服务中心 (JSON-LD, every 5 minutes),
浙江省人才市场 (XML), 安徽省人才服务中心 (CSV in GBK) and 上海市学生事务中心 (JSON-LD whose employers have no
统一社会信用代码: they land in the match queue, 待匹配单位) — and queues one sync of each, so a new user sees sync
runs in admin, the vacancies in search and the match queue as soon as the worker is up.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feeds.models import FeedEncoding, FeedFormat, FeedSource, RunTrigger
from feeds.services import feed_source_save, feed_sync_request
from regions.models import TalentCentre

DEMO_SOURCES = [
    ("js-talent-demo", "js-talent", "江苏省人才流动服务中心职位源（演示）", "jiangsu.jsonld", FeedFormat.JSONLD,
     FeedEncoding.AUTO, 5),
    ("zj-talent-demo", "zj-talent", "浙江省人才市场职位源（演示）", "zhejiang.xml", FeedFormat.XML,
     FeedEncoding.AUTO, 15),
    ("ah-talent-demo", "ah-talent", "安徽省人才服务中心职位源（演示，GBK）", "anhui-gbk.csv", FeedFormat.CSV,
     FeedEncoding.GBK, 15),
    ("sh-student-demo", "sh-student", "上海市学生事务中心职位源（演示，单位无信用代码）", "shanghai-names-only.jsonld",
     FeedFormat.JSONLD, FeedEncoding.AUTO, 30),
]  # fmt: skip


class Command(BaseCommand):
    help = "Configure the demo partner feeds (served from samples/feeds by the DEBUG dev server) and queue a sync."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=settings.SITE_URL, help="where this site's dev server answers")
        parser.add_argument("--no-sync", action="store_true", help="configure only; let the schedule run them")

    def handle(self, *args, url: str, no_sync: bool, **options):
        if not settings.DEBUG:
            raise CommandError("The demo feeds are served by the DEBUG dev server only.")
        base = url.rstrip("/") + "/" + settings.FEEDS_DEMO_URL_PREFIX
        now = timezone.now()
        for slug, centre_slug, name, file, format, encoding, minutes in DEMO_SOURCES:
            source = FeedSource.objects.filter(slug=slug).first() or FeedSource(slug=slug)
            created = source.pk is None
            source.centre = TalentCentre.objects.get(slug=centre_slug)
            source.name, source.url, source.format, source.encoding = name, base + file, format, encoding
            source.interval_minutes, source.enabled = minutes, True
            source.next_sync_at = now + timedelta(minutes=minutes)  # synced below, then on its schedule
            feed_source_save(source=source, by=None)
            if not no_sync:
                feed_sync_request(source=source, trigger=RunTrigger.MANUAL)
            self.stdout.write(f"{'created' if created else 'updated'} {slug}: {source.url}")
