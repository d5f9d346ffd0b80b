"""Measurements for the scale benchmark (``python manage.py benchmark``; docs/benchmarks.md).

Every figure is taken beside a raw-SQL baseline run in the same process on the same data: the
statement the application sent, captured and replayed straight through psycopg2.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from directory.services import api_token_issue

ROOT = Path(settings.BASE_DIR)


@dataclass
class Timing:
    """Latencies in milliseconds."""

    samples: list[float] = field(default_factory=list)

    def pct(self, q: float) -> float:
        ordered = sorted(self.samples)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        return self.pct(95)

    @property
    def p99(self) -> float:
        return self.pct(99)

    def summary(self) -> str:
        return f"{self.p50:.2f} / {self.p95:.2f} / {self.p99:.2f}"


HTTP_WARMUP = 30


def time_calls(call: Callable[[], object], *, runs: int, warmup: int = 5) -> Timing:
    for _ in range(warmup):
        call()
    timing = Timing()
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timing.samples.append((time.perf_counter() - start) * 1000)
    return timing


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}"
    )


def raw_connection():
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
    )


def raw_sql_timing(sql: str, *, runs: int) -> Timing:
    """The same statement, replayed directly: the floor the application is measured against."""
    with contextlib.closing(raw_connection()) as conn, conn.cursor() as cursor:

        def run() -> None:
            cursor.execute(sql)
            cursor.fetchall()

        return time_calls(run, runs=runs)


# The API throttle rate the benchmark's server is given: far above anything it sends, so that a
# measurement is never a 429. A one-second window keeps DRF's request history short.
UNTHROTTLED_RATE = "1000000/second"


def gunicorn_environment(env_extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for the server, on this database, never throttled."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_THROTTLE_USER_RATE": UNTHROTTLED_RATE,
        "API_THROTTLE_ANON_RATE": UNTHROTTLED_RATE,
        **(env_extra or {}),
    }


def api_token(user) -> str:
    """A fresh API token key for ``user`` (keys are kept hashed, so each call issues one)."""
    return api_token_issue(user=user)[1]


@contextlib.contextmanager
def gunicorn_server(*, workers: int = 2, env_extra: dict[str, str] | None = None) -> Iterator[int]:
    """gunicorn serving this project on a loopback port, with this process's settings."""
    port = free_port()
    env = gunicorn_environment(env_extra)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "interface.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = http_get(port, "/login/", {})
                if status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start within 60 s")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def http_get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def http_timing(port: int, path: str, headers: dict[str, str], *, runs: int) -> Timing:
    def call() -> None:
        status, body = http_get(port, path, headers)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")

    # Enough warm-up requests to reach every gunicorn worker several times: each worker loads
    # its URL resolver, templates and database connection on its first requests.
    return time_calls(call, runs=runs, warmup=HTTP_WARMUP)


def http_throughput(
    port: int, path: str, headers: dict[str, str], *, seconds: float, clients: int
) -> float:
    """Requests per second with ``clients`` concurrent loopback clients for ``seconds``."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < stop:
            status, _ = http_get(port, path, headers)
            if status == 200:
                done[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - start)


def postgres_log_path() -> Path | None:
    """Debian's pg_ctlcluster writes the server log here."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    path = Path(f"/var/log/postgresql/postgresql-{major}-main.log")
    return path if path.exists() else None


@contextlib.contextmanager
def slow_statements(threshold_ms: int) -> Iterator[list[str]]:
    """Collect the server's ``duration:`` log lines written while the block runs (the
    web processes set ``log_min_duration_statement`` through PGOPTIONS)."""
    path = postgres_log_path()
    found: list[str] = []
    start = path.stat().st_size if path else 0
    yield found
    if path is None:
        found.append("(server log not readable: not measured)")
        return
    with path.open("rb") as handle:
        handle.seek(start)
        for line in handle.read().decode(errors="replace").splitlines():
            if "duration:" in line:
                found.append(line.strip())


def table_size(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        return cursor.fetchone()[0]


def vacuum_analyze() -> None:
    """What an operator does after a bulk load: statistics for the planner, and the visibility
    map for index-only scans."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) triage_referral, directory_patient, triage_referralevent")


def settle() -> None:
    """Write out what earlier steps left dirty (a CHECKPOINT, where the role may run one), so
    that a timed write does not pay for the flushing of the one before it."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        pass  # neither superuser nor pg_checkpoint: the figures then carry that noise


def machine_description() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (
        f"{os.cpu_count()} cores, {memory_gb:.0f} GB, {platform.machine()}, "
        f"Python {platform.python_version()}, PostgreSQL {pg}"
    )


MEASURE_COMMAND = """
import resource, sys, django
django.setup()
from django.core.management import call_command
call_command(*sys.argv[1:])
print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run_command_measured(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a management command in a fresh interpreter; return (seconds, peak resident memory
    in MB of that process alone, its output)."""
    start = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", MEASURE_COMMAND, *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "interface.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    peak_kb = next(
        int(line.split()[1])
        for line in result.stdout.splitlines()
        if line.startswith("PEAK_RSS_KB")
    )
    return seconds, peak_kb / 1024, result.stdout + result.stderr


@contextlib.contextmanager
def celery_worker(*, broker: str, queue: str) -> Iterator[subprocess.Popen]:
    """A real ``celery worker`` process consuming ``queue`` through ``broker``, connected to
    this process's database; stopped on exit."""
    from interface.celery import app

    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": broker}
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "interface",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if app.control.ping(destination=[f"{queue}@{platform.node()}"], timeout=1):
                break
            if worker.poll() is not None:
                raise RuntimeError("the Celery worker exited during start-up")
        else:
            raise RuntimeError("the Celery worker did not answer a ping within 60 s")
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)
