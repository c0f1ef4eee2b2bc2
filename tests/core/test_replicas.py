"""Reads that scale out, against a real streaming replica (issue 15, item 8).

The test starts its own pair: a primary cluster (initdb in a temporary directory, on a free port), the site's
migrations on it, and a replica made from it with ``pg_basebackup --write-recovery-conf`` on another port,
streaming. The site runs under gunicorn with ``DATABASE_REPLICA_URLS`` pointing at the replica. Pausing the
replica's replay (``pg_wal_replay_pause()``) makes it fall behind on purpose, so what each page read from is
visible: a vacancy written to the primary is missing from the replica until replay resumes.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import psycopg2
import pytest

from tests.conftest import wait_for
from tests.core.ports import free_port
from tests.core.servers import production_site

ROOT = Path(__file__).resolve().parents[2]
BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL will not run as root: under root (CI, containers) the clusters belong to the postgres user."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _owned_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    return path


class Cluster:
    def __init__(self, data: Path, port: int):
        self.data, self.port = data, port

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/talentfair"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.data / "log"), "-w", "start"]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]), capture_output=True
        )

    def sql(self, query: str, *params, database: str = "talentfair"):
        conn = psycopg2.connect(self.url.rsplit("/", 1)[0] + "/" + database)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            conn.close()


def _django(url: str, code: str) -> str:
    """Run ``code`` with Django set up on the database at ``url`` (the test settings: factories work there)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "talentfair.test_settings", "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def pair():
    primary = Cluster(_owned_dir("tf-primary-"), free_port())
    replica = Cluster(_owned_dir("tf-replica-"), free_port())
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(BIN / "initdb"),
                    "-D",
                    str(primary.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        with (primary.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        primary.start()
        primary.sql("CREATE DATABASE talentfair", database="postgres")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "talentfair.test_settings", "DATABASE_URL": primary.url},
            check=True,
        )
        replica.data.rmdir()  # pg_basebackup makes it
        subprocess.run(
            _as_postgres(
                [str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                 "-D", str(replica.data), "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast"]
            ),
            check=True,
            capture_output=True,
        )  # fmt: skip
        replica.start()
        assert replica.sql("SELECT pg_is_in_recovery()") == [(True,)]
        yield primary, replica
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(primary.data, ignore_errors=True)
        shutil.rmtree(replica.data, ignore_errors=True)


NEW_VACANCY = """
import itertools, time
from tests import factories
factories._serials = itertools.count(time.monotonic_ns() % 10**8)  # each process numbers its employers afresh
job = factories.JobPostingFactory(title={title!r})
print(job.pk)
"""


def _on_replica(replica: Cluster, title: str) -> bool:
    return bool(replica.sql("SELECT 1 FROM jobs_jobposting WHERE title = %s", title))


@pytest.fixture(scope="module")
def site(pair):
    primary, replica = pair
    with production_site(
        DJANGO_DEBUG="1",  # plain-http cookies for the test's client; the router is the same
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=primary.url,
        DATABASE_REPLICA_URLS=replica.url,
        REPLICA_MAX_LAG="8",
        REPLICA_CHECK_SECONDS="0.5",
        SEARCH_CACHE_TTL="0",
        CACHE_KEY_PREFIX=f"replica-test-{primary.port}",
    ) as url:
        yield url


def _caught_up_now(primary: Cluster, replica: Cluster) -> None:
    """A fresh write, replayed: the replica's last replayed transaction is from now, its lag 0."""
    primary.sql("CREATE TABLE IF NOT EXISTS replica_heartbeat (at timestamptz)")
    (stamp,) = primary.sql("INSERT INTO replica_heartbeat VALUES (clock_timestamp()) RETURNING at::text")[0]
    assert wait_for(lambda: replica.sql("SELECT 1 FROM replica_heartbeat WHERE at::text = %s", stamp), timeout=20)


def _found(client: httpx.Client, title: str) -> bool:
    """Whether searching for ``title`` lists it (a result card links it; the query itself is echoed on the page)."""
    response = client.get("/jobs/", params={"q": title})
    assert response.status_code == 200
    return f">{title}</a></h3>" in response.text


def test_public_pages_read_the_replica_and_fall_back_to_the_primary_when_it_lags(pair, site):
    primary, replica = pair
    _django(primary.url, NEW_VACANCY.format(title="仓储物流主管"))
    assert wait_for(lambda: _on_replica(replica, "仓储物流主管"), timeout=20)  # streamed across
    client = httpx.Client(base_url=site, timeout=20)
    assert _found(client, "仓储物流主管")

    _caught_up_now(primary, replica)
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        job_id = _django(primary.url, NEW_VACANCY.format(title="冷链运输调度员")).strip()
        assert not _on_replica(replica, "冷链运输调度员")

        assert not _found(client, "冷链运输调度员")  # read from the replica, which has not replayed it yet

        # A client that has just written reads the primary: it sees the new vacancy at once.
        writer = httpx.Client(base_url=site, timeout=20)
        writer.get("/accounts/login/")
        switched = writer.post(
            "/i18n/setlang/",
            data={"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": writer.cookies["csrftoken"]},
        )
        assert switched.status_code == 302 and "tf_primary" in writer.cookies
        assert _found(writer, "冷链运输调度员")
        assert writer.get(f"/jobs/{job_id}/").status_code == 200

        # Once the replica is REPLICA_MAX_LAG (8 s) behind, everyone reads the primary.
        assert wait_for(lambda: _found(client, "冷链运输调度员"), timeout=30, interval=0.5)
        assert client.get(f"/jobs/{job_id}/").status_code == 200
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    assert wait_for(lambda: _on_replica(replica, "冷链运输调度员"), timeout=20)


def test_writes_and_private_pages_use_the_primary_while_the_replica_is_behind(pair, site):
    primary, replica = pair
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        client = httpx.Client(base_url=site, timeout=20)
        page = client.get("/accounts/login/")  # a session and its CSRF token: written to and read from the primary
        token = client.cookies["csrftoken"]
        refused = client.post(
            "/accounts/login/", data={"login": "nobody@example.cn", "password": "x"}, headers={"X-CSRFToken": token}
        )
        assert page.status_code == 200 and refused.status_code == 200  # the form again, no 500 from a read-only replica
        assert replica.sql("SELECT pg_is_in_recovery()") == [(True,)]
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")


def test_an_unreachable_replica_sends_reads_to_the_primary(pair):
    primary, _replica = pair
    _django(primary.url, NEW_VACANCY.format(title="港口机械维修工"))
    with production_site(
        DJANGO_DEBUG="1",
        DATABASE_URL=primary.url,
        DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{free_port()}/talentfair",
        SEARCH_CACHE_TTL="0",
    ) as url:
        response = httpx.get(url + "/jobs/", params={"q": "港口机械维修工"}, timeout=30)
    assert response.status_code == 200
    assert ">港口机械维修工</a></h3>" in response.text
