"""Throughput under load: the site under gunicorn (the repository's gunicorn.conf.py, production settings) on
loopback, driven by wrk over many different URLs — search pages, vacancy pages and API pages.

    make bench-load                                   # the demo catalogue (make demo first)
    make bench-load LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tf_bench_search   # the 1M benchmark

For each mix (search, vacancy, api, mixed) and concurrency it runs a warm-up, then a measured run, and reports
requests per second, p50/p95/p99 latency as wrk measured it (client-side, loopback), non-2xx answers and socket
errors, with the load average. URLs are drawn from the catalogue itself (published vacancy ids, the provinces,
cities and industries it has) and written to a file that a small Lua script rotates through at random, so no one
cached page flatters the figures. The API's rate limits are lifted for the run (one client address sends
everything); nothing else differs from production. Results: bench/results/load-<database>.json and a table.
"""

import argparse
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

LUA = r"""
local urls = {}
for line in io.lines(os.getenv("LOAD_URLS")) do urls[#urls + 1] = line end
math.randomseed(tonumber(os.getenv("LOAD_SEED") or "1"))
request = function()
  return wrk.format("GET", urls[math.random(#urls)], {["X-Forwarded-Proto"] = "https"})
end
done = function(summary, latency, requests)
  local out = io.open(os.getenv("LOAD_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d,' ..
    ' "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
  out:close()
end
"""

QUERIES = [
    "软件工程师", "销售", "会计", "java", "机械", "前端开发", "护士", "教师", "数据分析", "人力资源",
    "市场营销", "电气工程师", "产品经理", "客服", "财务", "运营", "设计", "测试工程师", "行政", "物流",
    "python", "UI设计", "土木", "化工", "翻译",
]  # fmt: skip


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL")
        or os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talentfair"),
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up before each run")
    parser.add_argument("--concurrency", default="4,16", help="open connections, comma-separated")
    parser.add_argument("--mixes", default="search,vacancy,api,mixed")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument(
        "--cold", action="store_true", help="SEARCH_CACHE_TTL=0: every search counts and orders from scratch"
    )
    return parser.parse_args()


def catalogue_urls(database_url: str) -> dict[str, list[str]]:
    """Real URLs over what the catalogue holds: 40 searches, 40 vacancy pages, 30 API pages."""
    import psycopg2

    rng = random.Random(2018)
    with psycopg2.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM jobs_jobposting WHERE status = 'published' AND employer_public"
            " AND (valid_through IS NULL OR valid_through > now()) ORDER BY random() LIMIT 200"
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT code FROM regions_province ORDER BY code")
        provinces = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT city_id, count(*) FROM jobs_jobposting WHERE status = 'published' GROUP BY city_id"
            " ORDER BY 2 DESC LIMIT 12"
        )
        cities = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT code FROM employers_industry ORDER BY code")
        industries = [row[0] for row in cursor.fetchall()]
    if len(ids) < 20:
        raise SystemExit(f"{database_url} has {len(ids)} open vacancies; run `make demo` (or bench-search) first")

    def search(i: int) -> str:
        params: dict = {}
        shape = i % 8
        if shape != 5:
            params["q"] = QUERIES[i % len(QUERIES)]
        if shape in (1, 5):
            params["province"] = rng.choice(provinces)
        if shape == 2 and cities:
            params["city"] = rng.choice(cities)
        if shape == 3:
            params["education"] = "3"
            params["type"] = "full_time"
        if shape == 4:
            params["industry"] = rng.choice(industries)
            params["fresh"] = "1"
        if shape == 6:
            params["sort"] = "newest"
        if shape == 7:
            params["page"] = "2"
        return "/jobs/?" + urlencode(params)

    vacancies = [f"/jobs/{pk}/" for pk in rng.sample(ids, 40)]
    api = [f"/api/v1/jobs/{pk}/" for pk in rng.sample(ids, 10)]
    api += ["/api/v1/jobs/?" + urlencode({"q": QUERIES[i], "page_size": "20"}) for i in range(10)]
    api += ["/api/v1/jobs/facets/?" + urlencode({"q": QUERIES[i + 10]}) for i in range(5)]
    api += [f"/api/v1/jobs/?province={code}" for code in provinces[:4]] + ["/api/v1/employers/"]
    searches = [search(i) for i in range(40)]
    return {
        "search": searches,
        "vacancy": vacancies,
        "api": api,
        "mixed": searches * 3 + vacancies * 2 + api,  # what a portal serves: mostly searches, then vacancies
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_site(
    database_url: str, workers: int, threads: int, static_root: Path, *, cold: bool
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talentfair.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-load-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "API_RATE_ANONYMOUS": "100000000/min",  # one client address sends everything
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_ACCESS_LOG": "",
        "CACHE_KEY_PREFIX": f"bench-load-{port}",  # a cache of its own: nothing left by an earlier run helps
        **({"SEARCH_CACHE_TTL": "0"} if cold else {}),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "talentfair.wsgi", "--config", "gunicorn.conf.py"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, base
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def run_wrk(base: str, urls: list[str], connections: int, seconds: int, workdir: Path) -> dict:
    url_file, out, script = workdir / "urls.txt", workdir / "out.json", workdir / "rotate.lua"
    url_file.write_text("\n".join(urls) + "\n")
    script.write_text(LUA)
    env = {**os.environ, "LOAD_URLS": str(url_file), "LOAD_OUT": str(out), "LOAD_SEED": str(connections)}
    threads = min(2, connections)
    subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), base],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    raw = json.loads(out.read_text())
    seconds_run = raw["duration_us"] / 1e6
    return {
        "connections": connections,
        "requests": raw["requests"],
        "req_per_s": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "non_2xx": raw["non_2xx"],
        "socket_errors": raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
        "load_avg_1min": round(os.getloadavg()[0], 2),
    }


def check_urls(base: str, urls: list[str]) -> None:
    """Every URL answers 200 once before anything is timed: a benchmark of error pages measures nothing."""
    import httpx

    with httpx.Client(base_url=base, headers={"X-Forwarded-Proto": "https"}, timeout=30) as client:
        for url in dict.fromkeys(urls):
            status = client.get(url).status_code
            if status != 200:
                raise SystemExit(f"{url} answered {status}")


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    mixes = catalogue_urls(args.database_url)
    database = args.database_url.rsplit("/", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        workdir = Path(tmp)
        process, base = start_site(args.database_url, args.workers, args.threads, workdir / "static", cold=args.cold)
        try:
            check_urls(base, [url for urls in mixes.values() for url in urls])
            rows = []
            for mix in args.mixes.split(","):
                for connections in (int(c) for c in args.concurrency.split(",")):
                    run_wrk(base, mixes[mix], connections, args.warmup, workdir)
                    measured = run_wrk(base, mixes[mix], connections, args.duration, workdir)
                    row = {"mix": mix, "urls": len(set(mixes[mix])), **measured}
                    rows.append(row)
                    print(
                        f"{mix:<8} c={connections:<3} {row['req_per_s']:>7.1f} req/s  p50 {row['p50_ms']:>6.1f}"
                        f"  p95 {row['p95_ms']:>6.1f}  p99 {row['p99_ms']:>6.1f} ms  non-2xx {row['non_2xx']}"
                        f"  socket errors {row['socket_errors']}  load {row['load_avg_1min']}",
                        flush=True,
                    )
        finally:
            process.terminate()
            process.wait(timeout=30)
    import psycopg2

    with psycopg2.connect(args.database_url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM jobs_jobposting")
        vacancies = cursor.fetchone()[0]
    result = {
        "database": database,
        "vacancies": vacancies,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}",
        "gunicorn": f"{args.workers} gthread workers x {args.threads} threads",
        "search_cache": "off (--cold)" if args.cold else "on (SEARCH_CACHE_TTL 30 s)",
        "duration_s": args.duration,
        "runs": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    name = f"load-{database}{'-cold' if args.cold else ''}.json"
    (RESULTS / name).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
