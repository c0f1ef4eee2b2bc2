"""``manage.py rebuild_search_index``: rebuild every vacancy's search vector (after a user-dictionary change)."""

import time

from django.core.management.base import BaseCommand

from jobs.models import JobPosting
from jobs.services import jobs_reindex


class Command(BaseCommand):
    help = "Rebuild the search vector of every vacancy (or of --status only), with progress."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--status", help="only vacancies in this status, e.g. published")

    def handle(self, *args, batch_size: int, status: str | None, **options):
        queryset = JobPosting.objects.all()
        if status:
            queryset = queryset.filter(status=status)
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"{done:,}/{total:,} ({100 * done / max(total, 1):.0f}%, {rate:,.0f}/s)")

        done = jobs_reindex(queryset=queryset, batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {done:,} search vectors in {time.monotonic() - started:.1f} s."))
