"""Admin changelists at scale: queries and time per page with N extra vacancies (default 100k).

    DATABASE_URL=… .venv/bin/python bench/admin_changelists.py --scale 100000

Adds ``--scale`` vacancies (a third pending, each with a submission audit row) and scale/20 employers to the
database in DATABASE_URL, measures the vacancy and employer changelists (plain, filtered, searched, queue) as a
superuser and as Jiangsu staff, then deletes what it added (``--keep`` leaves it).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentfair.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # a development tool: the development settings

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from employers.models import Employer  # noqa: E402
from jobs.models import JobPosting  # noqa: E402

MARK = "BENCHADM"


def populate(scale: int) -> None:
    employers = max(scale // 20, 1)
    with connection.cursor() as cursor:
        # USCC check characters are not needed for a list benchmark; the marker keeps the rows findable.
        cursor.execute(
            """
            INSERT INTO employers_employer (name, uscc, ownership, industry_id, city_id, size, website, description,
                address, contact_name, contact_phone, contact_email, verification_state, verification_reason,
                is_trusted, created_at, updated_at)
            SELECT %s || '测试单位' || g, 'X' || lpad(g::text, 17, '0'),
                (ARRAY['state','private','foreign'])[1 + g %% 3],
                (ARRAY['C','I','F','M'])[1 + g %% 4], (ARRAY['320500','330100','310115','340100'])[1 + g %% 4],
                '', '', '', '', '', '', '', CASE WHEN g %% 10 = 0 THEN 'pending' ELSE 'verified' END, '',
                false, now(), now()
            FROM generate_series(1, %s) g
            """,
            [MARK, employers],
        )
        cursor.execute(
            """
            INSERT INTO jobs_jobposting (employer_id, title, description, city_id, address, industry_id, category, tags,
                employment_type, education, experience, headcount, salary_months, salary_negotiable, salary_text,
                salary_unparsed, fresh_graduate, status, rejection_reason, published_at, external_id, content_hash,
                created_at, updated_at, search_vector)
            SELECT e.id, '软件工程师 ' || g, '', e.city_id, '', e.industry_id, '', '', 'full_time', 3, 0, 1, 12, false,
                '', false, false, CASE WHEN g %% 3 = 0 THEN 'pending' ELSE 'published' END, '', now(), '', '',
                now(), now(), '''软件'':1A ''工程师'':2A'
            FROM generate_series(1, %s) g
            JOIN (SELECT id, city_id, industry_id, row_number() OVER (ORDER BY id) - 1 AS n
                  FROM employers_employer WHERE name LIKE %s) e ON e.n = g %% %s
            """,
            [scale, MARK + "%", employers],
        )
        cursor.execute(
            """
            INSERT INTO jobs_jobreview (job_id, decision, reason, at)
            SELECT j.id, 'submitted', '', now() FROM jobs_jobposting j
            JOIN employers_employer e ON e.id = j.employer_id WHERE e.name LIKE %s AND j.status = 'pending'
            """,
            [MARK + "%"],
        )
        cursor.execute("ANALYZE employers_employer; ANALYZE jobs_jobposting; ANALYZE jobs_jobreview")


def cleanup() -> None:
    Employer.objects.filter(name__startswith=MARK).delete()


def measure(client: Client, url: str, repeat: int = 5) -> tuple[int, float]:
    client.get(url)  # warm
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        queries = len(captured)
    return queries, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    cleanup()
    started = time.perf_counter()
    populate(args.scale)
    print(
        f"added {args.scale} vacancies in {time.perf_counter() - started:.1f} s; "
        f"catalogue now {JobPosting.objects.count()} vacancies, {Employer.objects.count()} employers"
    )
    users = {
        "superuser": User.objects.filter(is_superuser=True).first(),
        "jiangsu staff": User.objects.filter(centre__province="320000", is_staff=True).first(),
    }
    pages = [
        "/admin/jobs/jobposting/",
        "/admin/jobs/jobposting/?status__exact=pending",
        "/admin/jobs/jobposting/?q=软件工程师",
        "/admin/jobs/pendingjob/",
        "/admin/employers/employer/",
        "/admin/employers/employer/?ownership__exact=private&industry__code__exact=C",
        "/admin/employers/employer/?q=测试单位",
        "/admin/employers/pendingemployer/",
    ]
    try:
        for who, user in users.items():
            if user is None:
                print(f"(no {who} in this database; run seed_demo)")
                continue
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            for url in pages:
                queries, median = measure(client, url)
                print(f"{who:14} {url:75} {queries:3d} queries  {median * 1000:7.1f} ms")
    finally:
        if not args.keep:
            cleanup()


if __name__ == "__main__":
    main()
