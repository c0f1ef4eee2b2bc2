"""API benchmark: p95 of filtered vacancy list pages and the speed of walking the catalogue by cursor.

    make bench-api SCALE=1000000        # or: .venv/bin/python bench/api.py --scale 20000

It reads the catalogue that ``bench/search.py`` generates in its own database (``--database-url``, default
``tf_bench_search``) and never writes to it, so the two benchmarks share one million-row catalogue. If that
catalogue is missing or of another size, run ``make bench-search SCALE=…`` (or ``bench/search.py --generate-only``)
first. Requests go through Django's test client to the real API views with production settings (DEBUG off), so the
time is server-side: URL routing, authentication, throttling (Redis), filters, keyset pagination, serialisation.

Targets (issue 7): p95 of a filtered list page ≤ 100 ms at 1M vacancies; walking 100,000 vacancies by cursor at
≥ 5,000 vacancies/s. Results: ``bench/results/api-N.json`` and a table on stdout.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Filtered list pages a partner (or the search page's users) would ask for.
CASES = [
    ("newest, no filter", {}),
    ("province", {"province": "320000"}),
    ("city + education", {"city": "320500", "education": "3"}),
    ("industry + type", {"industry": "I", "type": "full_time"}),
    ("salary_min, salary sort", {"salary_min": "15000", "sort": "salary"}),
    ("fresh graduates, Zhejiang", {"fresh": "1", "province": "330000"}),
    ("q=Java", {"q": "Java"}),
    ("q=软件工程师 + province", {"q": "软件工程师", "province": "310000"}),
    ("q=销售 newest", {"q": "销售", "sort": "newest"}),
    ("posted_within 7 days", {"posted_within": "7"}),
    ("page 2 by cursor", {"province": "320000", "_page": 2}),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1_000_000, help="vacancies the catalogue must hold")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tf_bench_search"),
    )
    parser.add_argument("--runs", type=int, default=40, help="measured requests per case")
    parser.add_argument("--walk", type=int, default=100_000, help="vacancies to walk by cursor")
    parser.add_argument("--walk-page-size", type=int, default=1000)
    parser.add_argument("--parts", default="cases,walks,feed", help="what to measure, comma-separated")
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentfair.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("SITE_URL", "http://testserver")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["API_RATE_ANONYMOUS"] = "1000000/min"  # measure the API, not the limiter's refusals
    import django

    django.setup()


def catalogue_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'jobs_jobposting'")
        row = cursor.fetchone()
        if row and row[0] >= 0:
            return int(row[0])
        cursor.execute("SELECT count(*) FROM jobs_jobposting")  # never analysed yet: count
        return int(cursor.fetchone()[0])


def url_for(params: dict) -> str:
    query = "&".join(f"{k}={quote(str(v))}" for k, v in params.items() if not k.startswith("_"))
    return "/api/v1/jobs/" + (f"?{query}" if query else "")


def timed_get(client, url: str) -> tuple[float, dict]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return elapsed, response.json()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure_cases(client, runs: int) -> list[dict]:
    rows = []
    for label, params in CASES:
        url = url_for(params)
        if params.get("_page"):
            _t, body = timed_get(client, url)
            url = body["next"].removeprefix("http://testserver")
        for _ in range(3):  # warm caches and the connection
            timed_get(client, url)
        times = []
        for _ in range(runs):
            elapsed, body = timed_get(client, url)
            times.append(elapsed * 1000)
        row = {
            "case": label,
            "url": url if len(url) < 120 else url[:117] + "…",
            "results": len(body["results"]),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1),
        }
        rows.append(row)
        print(f"  {label:<32} p50 {row['p50_ms']:>7.1f} ms  p95 {row['p95_ms']:>7.1f} ms  ({row['results']} rows)")
    return rows


def walk(client, limit: int, page_size: int, params: dict | None = None) -> dict:
    url = url_for({**(params or {}), "page_size": page_size})
    seen, pages, ids = 0, 0, set()
    started = time.perf_counter()
    while url and seen < limit:
        _t, body = timed_get(client, url)
        for item in body["results"]:
            ids.add(item["id"])
        seen += len(body["results"])
        pages += 1
        url = body["next"].removeprefix("http://testserver") if body["next"] else None
    elapsed = time.perf_counter() - started
    if len(ids) != seen:
        raise SystemExit(f"the walk saw {seen} rows but {len(ids)} distinct ids")
    result = {
        "params": params or {},
        "vacancies": seen,
        "pages": pages,
        "page_size": page_size,
        "seconds": round(elapsed, 2),
        "per_second": round(seen / elapsed),
    }
    print(
        f"  walk {params or 'all'}: {seen:,} vacancies in {pages} pages, {elapsed:.1f} s = {result['per_second']:,}/s"
    )
    return result


def measure_feed_validators(client, runs: int) -> dict:
    """What a conditional GET costs: computing ETag and Last-Modified (timed through HEAD, which computes exactly
    that; a GET with a matching If-None-Match adds nothing). Vacancies lapse continuously in a large generated
    catalogue, so the ETag may legitimately change between two requests."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.head("/feeds/jobs.jsonld")
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200 or not response["ETag"]:
            raise SystemExit(f"HEAD /feeds/jobs.jsonld answered {response.status_code}")
    result = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1)}
    print(f"  feed validators (HEAD): p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms")
    return result


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)
    from django.test import Client

    size = catalogue_size()
    if size < args.scale * 0.95:
        raise SystemExit(
            f"The catalogue in {args.database_url} holds about {size:,} vacancies, not {args.scale:,}. "
            f"Generate it with `make bench-search SCALE={args.scale}` (bench/search.py) first."
        )
    client = Client()
    print(f"API benchmark on about {size:,} vacancies ({args.database_url.rsplit('/', 1)[-1]})")
    parts = set(args.parts.split(","))
    cases, walks, feed = [], [], None
    if "cases" in parts:
        print("Filtered list pages (page_size 20):")
        cases = measure_cases(client, args.runs)
    if "walks" in parts:
        print(f"Cursor walks (page_size {args.walk_page_size}):")
        since = (datetime.now(UTC).replace(year=datetime.now(UTC).year - 5)).isoformat()
        for params in (None, {"province": "320000"}, {"updated_since": since}):
            walks.append(walk(client, args.walk, args.walk_page_size, params))
    if "feed" in parts:
        feed = measure_feed_validators(client, max(10, args.runs // 2))
    p95_all = percentile([c["p95_ms"] for c in cases], 100) if cases else None
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} cores · {platform.python_version()}",
        "scale": args.scale,
        "catalogue_estimate": size,
        "list_pages": cases,
        "worst_case_p95_ms": p95_all,
        "walks": walks,
        "feed_304": feed,
        "targets": {
            "list_p95_le_100ms": p95_all <= 100 if p95_all is not None else None,
            "walk_ge_5000_per_s": min(w["per_second"] for w in walks) >= 5000 if walks else None,
        },
    }
    out = ROOT / "bench" / "results" / f"api-{args.scale}-{'-'.join(sorted(parts))}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    slowest = min(w["per_second"] for w in walks) if walks else None
    print(f"Worst p95 of a list page: {p95_all} ms (target ≤ 100); slowest walk: {slowest}/s (target ≥ 5,000).")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
