"""``manage.py seed_demo``: the 2018 fair with the seed's figures, and the demo accounts. See ``fairs.demo``."""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection

from fairs import demo
from fairs.demo_upcoming import seed_upcoming_fair
from jobs.selectors import refresh_catalogue_figures


class Command(BaseCommand):
    help = (
        "Create the demo data: the 10th Yangtze River Delta talent fair (2018-03-25, Shanghai) with 1,000 fictional "
        "verified employers and their vacancies (exactly the seed's figures, generated from random.Random(2018)), "
        "plus demo accounts with public passwords (demo databases only; `manage.py demo_logins` lists them). "
        "The vacancies are published with published_at over the last 30 days and valid_through 60 days from now, "
        "so the demo catalogue is alive for search. Then the upcoming 2027 fair in Nanjing (graduate registration "
        "open, booth plan, approved exhibitors with booths, pending exhibitor applications per province, registered "
        "graduates), made through the fair's services. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        interactive = self.stderr.isatty() if hasattr(self.stderr, "isatty") else sys.stderr.isatty()

        quarters: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            width = 30
            filled = width * done // total
            line = f"{stage:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            if interactive:
                self.stderr.write(f"\r{line}", ending="\n" if done == total else "")
            elif done * 4 // total > quarters.get(stage, 0):  # piped: one line at 25 %, 50 %, 75 %, 100 %
                quarters[stage] = done * 4 // total
                self.stderr.write(line)

        result = demo.seed_demo(progress=progress)
        upcoming = seed_upcoming_fair()
        refresh_catalogue_figures()  # the home page shows the new catalogue at once, not after the next refresh
        if result.created or upcoming.created:
            # Planner statistics for the thousands of rows just written: until autovacuum gets round to it, the
            # planner takes the tables for empty and walks whole indexes to find twenty rows by id.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        if upcoming.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created the upcoming fair {upcoming.fair.name} ({upcoming.fair.slug}): {upcoming.approved} "
                    f"approved exhibitors with booths, {upcoming.pending} applications pending review, "
                    f"{upcoming.graduates} registered graduates."
                )
            )
        if not result.created:
            self.stdout.write(f"The demo fair “{result.fair.slug}” already exists; nothing to do ({elapsed:.1f} s).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.fair.name} ({result.fair.slug}): {result.employers} employers, "
                f"{result.vacancies} vacancies, {result.positions} positions in {elapsed:.1f} s."
            )
        )
