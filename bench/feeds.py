"""Feed sync benchmark: ``make bench-feeds``.

Builds JSON-LD, XML and CSV feeds of 20,000 and 100,000 synthetic Yangtze River Delta vacancies and times, per
format and size, a fresh import, an unchanged re-sync, and a re-sync with 5% changed and 5% removed, through the
same ``feeds.services.feed_sync`` the Celery task runs (the body is handed over directly, so the HTTP download is
not part of the figure). Prints records/s and writes ``bench/results/feeds.json``.

It uses its own database (``tf_bench_feeds`` on the server of ``DATABASE_URL``), never the dev one.
"""

import argparse
import cProfile
import json
import os
import platform
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_database_url(name: str) -> str:
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/talentfair")
    return urlunsplit(url._replace(path="/" + name))


def backend_cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of the PostgreSQL backend serving this process, when the server runs on this machine
    and /proc shows it; None otherwise."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--formats", default="jsonld,xml,csv")
    parser.add_argument("--cases", default="fresh,unchanged,changed")
    parser.add_argument("--db", default="tf_bench_feeds")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "feeds.json"))
    parser.add_argument("--profile", help="write a cProfile of this case, e.g. jsonld:100000:fresh")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = bench_database_url(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentfair.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # a development tool: the development settings
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import subprocess

    subprocess.run([sys.executable, str(ROOT / "scripts" / "createdb.py")], check=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from feeds import samplegen
    from feeds.models import FeedSource, SyncRun
    from feeds.services import feed_sync
    from regions.models import TalentCentre

    source, _ = FeedSource.objects.update_or_create(
        slug="bench",
        # Trusted: every vacancy is written published, as in the figures recorded before per-source trust (a feed
        # for employers of all four provinces would otherwise write most of them pending).
        defaults={
            "name": "bench",
            "centre": TalentCentre.objects.get(slug="js-talent"),
            "url": "http://127.0.0.1/",
            "trust": "trusted",
        },
    )
    writers = {
        "jsonld": lambda v: samplegen.to_jsonld(v, centre="江苏省人才流动服务中心"),
        "xml": lambda v: samplegen.to_xml(v, centre="江苏省人才流动服务中心"),
        "csv": lambda v: samplegen.to_csv(v, encoding="utf-8-sig"),
    }
    results = []
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:  # after every case, so an interrupted run keeps what it measured
        meta = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
            "postgresql": server,
            "load_average": os.getloadavg(),
        }
        out.write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2) + "\n")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    for size in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        vacancies = samplegen.make_vacancies(province="320000", count=size, employers=max(size // 20, 50), seed=size)
        changed = [v for i, v in enumerate(vacancies) if i % 20 != 7]  # 5% removed
        for i, v in enumerate(changed):
            if i % 20 == 3:  # 5% changed
                changed[i] = type(v)(**{**v.__dict__, "title": v.title + "（急聘）", "headcount": v.headcount + 1})
        print(f"generated {size} vacancies in {time.perf_counter() - started:.1f}s", flush=True)
        for format in args.formats.split(","):
            source.format = format
            source.save(update_fields=["format"])
            bodies = {"fresh": writers[format](vacancies)}
            bodies["unchanged"] = bodies["fresh"]
            bodies["changed"] = writers[format](changed)
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE feeds_syncissue, feeds_syncrun, feeds_feedrecord, jobs_jobposting, "
                    "employers_employer CASCADE"
                )
            for case in args.cases.split(","):
                body = bodies[case]
                run = SyncRun.objects.create(source=source, trigger="command")
                profile = args.profile == f"{format}:{size}:{case}"
                profiler = cProfile.Profile() if profile else None
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    backend = cursor.fetchone()[0]
                t0, cpu0, db0 = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
                if profiler:
                    profiler.enable()
                feed_sync(run=run, body=body)
                if profiler:
                    profiler.disable()
                seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
                db1 = backend_cpu_seconds(backend)
                db_cpu = round(db1 - db0, 2) if db0 is not None and db1 is not None else None
                run.refresh_from_db()
                if run.status != "success":
                    raise SystemExit(f"{format} {size} {case}: {run.status} {run.error}")
                records = run.fetched
                row = {
                    "format": format,
                    "size": size,
                    "case": case,
                    "records": records,
                    "bytes": len(body),
                    "seconds": round(seconds, 2),
                    "python_cpu_seconds": round(cpu, 2),
                    "postgres_cpu_seconds": db_cpu,
                    "records_per_s": round(records / seconds),
                    "created": run.created,
                    "updated": run.updated,
                    "unchanged": run.unchanged,
                    "closed": run.closed,
                    "rejected": run.rejected,
                    "timings": run.timings,
                }
                row["load_average"] = [round(x, 1) for x in os.getloadavg()]
                results.append(row)
                save()
                print(
                    f"{format:6} {size:>7} {case:9} {records:>7} records {seconds:7.2f}s "
                    f"(cpu {cpu:.2f}s, postgres {db_cpu}s) "
                    f"{row['records_per_s']:>7} rec/s  created {run.created} updated {run.updated} "
                    f"unchanged {run.unchanged} closed {run.closed}  {run.timings}",
                    flush=True,
                )
                if profiler:
                    path = ROOT / "bench" / "results" / f"feeds-{format}-{size}-{case}.prof"
                    profiler.dump_stats(path)
                    pstats.Stats(str(path)).sort_stats("tottime").print_stats(20)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
