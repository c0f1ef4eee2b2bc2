"""Search benchmark: a realistic catalogue of N vacancies, then p50/p95/p99 server-side latency of the search page.

    make bench-search SCALE=1000000        # or: .venv/bin/python bench/search.py --scale 20000

Runs against its own database (``--database-url``, default ``tf_bench_search``) so it never touches dev data.
The catalogue is generated once per scale and reused (``--regenerate`` forces a new one): employers and vacancies
are written with COPY from two worker processes; each vacancy's ``search_vector`` comes from
``jobs.search.build_document(document_parts(...))``, the code path every importer uses.

Each case is requested through Django's test client against the real view (filters, selectors, template), with
production settings (DEBUG off). In the same run the naive way most Django job boards search
(``title__icontains`` OR ``description__icontains`` per word, the same filters, Django's Paginator) is timed on the
same requests; ``ratio`` = naive p95 / our p95. Results: ``bench/results/search-N.json`` and a table on stdout.
"""

import argparse
import io
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CHUNK = 5000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1_000_000, help="number of vacancies")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tf_bench_search"),
    )
    parser.add_argument("--regenerate", action="store_true", help="rebuild the catalogue even if it exists")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--runs", type=int, default=60, help="measured requests per case")
    parser.add_argument("--naive-runs", type=int, default=12, help="measured naive requests per case")
    parser.add_argument("--workers", type=int, default=2, help="generator processes")
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentfair.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("SITE_URL", "http://testserver")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(database_url)
    conn = psycopg2.connect(dbname="postgres", host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"])
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if not cursor.fetchone():
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    conn.close()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- generation -----------------------------------------------------------------------------------------------------


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


JOB_COLUMNS = [
    "employer_id", "title", "description", "city_id", "address", "industry_id", "category", "tags",
    "employment_type", "education", "experience", "headcount", "salary_min", "salary_max", "salary_months",
    "salary_negotiable", "salary_text", "salary_unparsed", "fresh_graduate", "cohort", "status", "rejection_reason",
    "published_at", "valid_through", "closed_at", "fair_id", "source_id", "external_id", "content_hash",
    "search_vector", "created_at", "updated_at",
]  # fmt: skip

_WORKER: dict = {}


def _init_worker(state: dict) -> None:
    _WORKER.update(state)


def _generate_chunk(args: tuple[int, int]) -> int:
    """Generate and COPY ``count`` vacancies (a worker process with its own connection)."""
    import psycopg2
    from catalogue import Catalogue

    from jobs.search import build_document, document_parts

    start, count = args
    state = _WORKER
    catalogue = Catalogue(cities=state["cities"], industries=state["industries"], seed=start)
    employers = state["employers"]
    buffer = io.StringIO()
    now = state["now"]
    for _ in range(count):
        employer = catalogue.rng.choice(employers)
        job = catalogue.job(employer, now, state["fair_ids"])
        city_name, province_name = state["city_names"][job["city_id"]]
        document = build_document(
            document_parts(
                title=job["title"],
                employer_name=employer["name"],
                province_name=province_name,
                city_name=city_name,
                industry_name=state["industries"][job["industry_id"]],
                category=job["category"],
                tags=job["tags"],
                description=job["description"],
            )
        )
        closed_at = job["published_at"] if job["status"] == "closed" else None
        row = {
            **job,
            "address": "",
            "salary_text": "",
            "salary_unparsed": False,
            "rejection_reason": "",
            "closed_at": closed_at,
            "source_id": None,
            "external_id": "",
            "content_hash": "",
            "search_vector": document,
            "created_at": job["published_at"] or now,
            "updated_at": job["published_at"] or now,
        }
        buffer.write("\t".join(_copy_value(row[c]) for c in JOB_COLUMNS))
        buffer.write("\n")
    buffer.seek(0)
    conn = psycopg2.connect(state["dsn"])
    with conn, conn.cursor() as cursor:
        cursor.copy_expert(f"COPY jobs_jobposting ({', '.join(JOB_COLUMNS)}) FROM STDIN", buffer)
    conn.close()
    return count


def generate(scale: int, workers: int) -> None:
    from catalogue import Catalogue
    from django.db import connection
    from django.utils import timezone

    from employers.models import Industry
    from fairs.models import Fair, FairOrganiser, OrganiserRole
    from regions.models import City, TalentCentre

    started = time.perf_counter()
    cities = [(c.code, c.name, f"{c.province_id}:{c.province.name}") for c in City.objects.select_related("province")]
    city_names = {c.code: (c.name, c.province.name) for c in City.objects.select_related("province")}
    industries = dict(Industry.objects.values_list("code", "name"))
    catalogue = Catalogue(cities=cities, industries=industries, seed=1)
    centre_id = TalentCentre.objects.values_list("id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE jobs_jobposting, employers_employer, fairs_fair RESTART IDENTITY CASCADE")
        cursor.execute("DROP INDEX IF EXISTS job_search_gin")
    now = timezone.now()
    fair_ids = []
    for edition, (slug, city) in enumerate(
        [("csj-2026-spring", "310115"), ("js-2026", "320100"), ("zj-2026", "330100")]
    ):
        fair = Fair.objects.create(
            name=f"第{18 + edition}届长三角地区人才交流洽谈会",
            slug=slug,
            edition=18 + edition,
            starts_on=now.date(),
            ends_on=now.date(),
            venue="展览中心",
            city_id=city,
        )
        FairOrganiser.objects.create(fair=fair, role=OrganiserRole.HOST, name="上海市人才服务中心")
        fair_ids.append(fair.id)

    n_employers = max(50, scale // 20)
    employers = [catalogue.employer(i + 1) for i in range(n_employers)]
    columns = ["name", "uscc", "ownership", "industry_id", "city_id", "size", "website", "description", "address",
               "contact_name", "contact_phone", "contact_email", "verification_state", "verification_reason",
               "is_trusted", "source_centre_id", "created_at", "updated_at"]  # fmt: skip
    buffer = io.StringIO()
    for e in employers:
        row = {
            **e,
            "size": "",
            "website": "",
            "description": f"{e['name']}是一家位于长三角地区的单位。",
            "address": "",
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
            "verification_reason": "",
            "is_trusted": False,
            "source_centre_id": centre_id if e["source_centre"] else None,
            "created_at": now,
            "updated_at": now,
        }
        buffer.write("\t".join(_copy_value(row[c]) for c in columns) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY employers_employer ({', '.join(columns)}) FROM STDIN", buffer)
        cursor.execute("SELECT id FROM employers_employer ORDER BY id")
        ids = [r[0] for r in cursor.fetchall()]
    for employer, pk in zip(employers, ids, strict=True):
        employer["id"] = pk
    print(f"  {n_employers:,} employers in {time.perf_counter() - started:.1f} s", flush=True)

    settings_db = connection.settings_dict
    dsn = f"dbname={settings_db['NAME']} host={settings_db['HOST']} port={settings_db['PORT'] or 5432} "
    dsn += f"user={settings_db['USER']}"
    connection.close()
    state = {
        "cities": cities,
        "city_names": city_names,
        "industries": industries,
        "employers": employers,
        "fair_ids": fair_ids,
        "now": now,
        "dsn": dsn,
    }
    chunks = [(start, min(CHUNK, scale - start)) for start in range(0, scale, CHUNK)]
    done = 0
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(state,)) as pool:
        for count in pool.imap_unordered(_generate_chunk, chunks):
            done += count
            if done % 100_000 < CHUNK or done == scale:
                rate = done / (time.perf_counter() - started)
                print(f"  {done:,}/{scale:,} vacancies ({rate:,.0f}/s)", flush=True)
    index_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("CREATE INDEX job_search_gin ON jobs_jobposting USING gin (search_vector)")
        print(f"  GIN index in {time.perf_counter() - index_started:.1f} s", flush=True)
        cursor.execute("VACUUM ANALYZE jobs_jobposting")
        cursor.execute("VACUUM ANALYZE employers_employer")
    print(f"  generated {scale:,} vacancies in {time.perf_counter() - started:.0f} s", flush=True)


# --- measurement ----------------------------------------------------------------------------------------------------

# Each case rotates over a few realistic variants so no single cached plan or page flatters the figures.
CASES = [
    ("common_query", [{"q": q} for q in ("软件工程师", "销售", "会计", "java")]),
    ("rare_query", [{"q": q} for q in ("文物修复", "调香师", "潜水员", "风洞试验")]),
    (
        "query_two_filters",
        [
            {"q": "机械", "province": "320000", "education": "3"},
            {"q": "工程师", "city": "320500", "type": "full_time"},
            {"q": "会计", "province": "310000", "salary_min": "8000"},
            {"q": "销售", "industry": "F", "fresh": "1"},
        ],
    ),
    ("browse_facets", [{}, {"province": "330000"}, {"industry": "C"}, {"fresh": "1"}]),
    ("newest_browse", [{"sort": "newest"}, {"sort": "newest", "province": "340000"}]),
    ("common_query_page_50", [{"q": q, "page": "50"} for q in ("软件工程师", "销售", "会计", "java")]),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def naive_search(params: dict):
    """How most Django job boards search: icontains per word, the same filters, Django's Paginator."""
    from datetime import timedelta

    from django.core.paginator import Paginator
    from django.db.models import Q
    from django.utils import timezone

    from jobs.models import JobPosting

    qs = JobPosting.objects.published().select_related("employer", "city__province", "industry")
    for word in (params.get("q") or "").split():
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if params.get("province"):
        qs = qs.filter(city__province_id=params["province"])
    if params.get("city"):
        qs = qs.filter(city_id=params["city"])
    if params.get("industry"):
        qs = qs.filter(industry_id=params["industry"])
    if params.get("education"):
        qs = qs.filter(education__lte=int(params["education"]))
    if params.get("type"):
        qs = qs.filter(employment_type=params["type"])
    if params.get("salary_min"):
        qs = qs.filter(salary_max__gte=int(params["salary_min"]))
    if params.get("fresh"):
        qs = qs.filter(fresh_graduate=True)
    if params.get("posted_within"):
        qs = qs.filter(published_at__gte=timezone.now() - timedelta(days=int(params["posted_within"])))
    page = Paginator(qs.order_by("-published_at", "-id"), 20).get_page(params.get("page", 1))
    return page.paginator.count, list(page.object_list)


def measure(runs: int, naive_runs: int, scale: int) -> dict:
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client

    client = Client()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE jobs_jobposting")  # fresh statistics after any index or statistics migration
        cursor.execute("SELECT count(*) FROM jobs_jobposting")
        rows = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('jobs_jobposting')),"
            " pg_size_pretty(pg_relation_size('job_search_gin'))"
        )
        table_size, index_size = cursor.fetchone()
        cursor.execute("SELECT split_part(version(), ' on ', 1), current_setting('shared_buffers')")
        version, shared_buffers = cursor.fetchone()
        postgres = f"{version}, shared_buffers {shared_buffers}"
    results = {}
    for name, variants in CASES:
        timings = []
        totals = []
        for i in range(runs + len(variants)):  # one warm-up per variant
            params = variants[i % len(variants)]
            url = "/jobs/?" + urlencode(params)
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if i >= len(variants):
                timings.append(elapsed)
            if i < len(variants):  # what the page said (computed again outside the timing)
                from jobs.selectors import job_search

                totals.append(job_search(params, page=params.get("page")).total_display)
        naive = []
        for i in range(naive_runs + 1):
            params = variants[i % len(variants)]
            started = time.perf_counter()
            naive_search(params)
            if i:
                naive.append((time.perf_counter() - started) * 1000)
        case = {
            "p50_ms": round(percentile(timings, 50), 1),
            "p95_ms": round(percentile(timings, 95), 1),
            "p99_ms": round(percentile(timings, 99), 1),
            "mean_ms": round(statistics.fmean(timings), 1),
            "runs": len(timings),
            "variants": [urlencode(v) for v in variants],
            "shown_totals": totals,
            "naive_p50_ms": round(percentile(naive, 50), 1),
            "naive_p95_ms": round(percentile(naive, 95), 1),
            "naive_runs": len(naive),
        }
        case["ratio"] = round(case["naive_p95_ms"] / case["p95_ms"], 1) if case["p95_ms"] else None
        results[name] = case
        print(
            f"{name:<22} p50 {case['p50_ms']:>7.1f}  p95 {case['p95_ms']:>7.1f}  p99 {case['p99_ms']:>7.1f} ms"
            f"   naive p95 {case['naive_p95_ms']:>8.1f} ms   ratio {case['ratio']:>6}×   totals {totals}",
            flush=True,
        )
    return {
        "scale": scale,
        "rows": rows,
        "table_size": table_size,
        "gin_index_size": index_size,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**30} GiB,"
        f" Python {platform.python_version()}, {postgres}",
        "cases": results,
    }


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)
    from jobs.models import JobPosting

    existing = JobPosting.objects.count()
    if args.regenerate or existing != args.scale:
        print(f"Generating {args.scale:,} vacancies (found {existing:,}) …", flush=True)
        generate(args.scale, args.workers)
    else:
        print(f"Reusing the catalogue of {existing:,} vacancies in {args.database_url.rsplit('/', 1)[-1]}.")
    if args.generate_only:
        return
    report = measure(args.runs, args.naive_runs, args.scale)
    out = ROOT / "bench" / "results" / f"search-{args.scale}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
