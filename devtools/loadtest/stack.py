"""The local stack the load test runs against, and the faults it injects.

- a Redis of its own on a private loopback port (never the system Redis on 6379), so the
  broker can be stopped and started again;
- gunicorn with the repository's ``gunicorn.conf.py`` (the production settings of workers,
  threads and timeouts), on another loopback port;
- a real Celery worker (prefork, the docker-compose concurrency) consuming that Redis;
- PostgreSQL from ``DATABASE_URL``. The stack's sessions carry the application name
  ``interface-loadtest-…``, so the database fault terminates the stack's connections and no
  one else's.

Every process runs in a process group of its own: the worker fault kills the whole group with
SIGKILL, as the kernel's OOM killer or a container kill would.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from devtools.benchmark.harness import ROOT, database_url, free_port, http_get, raw_connection
from triage.models import QueueRecomputeRequest

APPLICATION_NAME = "interface-loadtest"


class Stack:
    def __init__(self, *, workdir: Path, redis_port: int, gunicorn_workers: int | None):
        self.workdir = workdir
        self.redis_port = redis_port
        self.web_port = free_port()
        self.gunicorn_workers = gunicorn_workers
        self.broker = f"redis://127.0.0.1:{redis_port}/0"
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, object] = {}

    # Processes

    def env(self, role: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker,
            "CELERY_RESULT_BACKEND": self.broker,
            "PGAPPNAME": f"{APPLICATION_NAME}-{role}",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The load is the test; API throttling would only measure itself.
            "API_THROTTLE_USER_RATE": "1000000/minute",
            "API_THROTTLE_ANON_RATE": "1000000/minute",
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "GUNICORN_ACCESS_LOG": "",
            "PYTHONUNBUFFERED": "1",
        }
        if self.gunicorn_workers:
            env["GUNICORN_WORKERS"] = str(self.gunicorn_workers)
        env.pop("CACHE_URL", None)
        return env

    def _start(self, name: str, args: list[str], role: str) -> subprocess.Popen:
        log = (self.workdir / f"{name}.log").open("ab")
        self.logs[name] = log
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            args,
            cwd=ROOT,
            env=self.env(role),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_redis(self) -> None:
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            raise RuntimeError("redis-server: not found (apt-get install redis-server)")
        data = self.workdir / "redis"
        data.mkdir(exist_ok=True)
        self._start(
            "redis",
            [
                redis_server,
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(data),
            ],
            "redis",
        )
        self._wait("redis", self.broker_answers, 30)

    def start_worker(self) -> None:
        self._start(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "interface",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=2",
                "-n",
                f"loadtest-{self.redis_port}@%h",
            ],
            "worker",
        )

    def start_web(self) -> None:
        self._start(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "interface.wsgi:application",
            ],
            "web",
        )
        self._wait("gunicorn", self.web_ready, 60)

    def start(self) -> None:
        self.start_redis()
        self.start_worker()
        self.start_web()

    def stop(self) -> None:
        for name in ("web", "worker", "redis"):
            self.stop_process(name)
        for log in self.logs.values():
            log.close()

    def stop_process(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    # Readiness

    def broker_answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.redis_port, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def web_ready(self) -> bool:
        try:
            return http_get(self.web_port, "/health/ready", {})[0] == 200
        except OSError:
            return False

    def _wait(self, what: str, ready, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} was not ready within {seconds:.0f} s (logs in {self.workdir})")

    def wait_until_idle(self, *, settle: float = 3.0, limit: float = 120.0) -> None:
        """Until the broker's queue is empty and the recorded recomputations stop changing:
        what the worker can still do, it has done."""
        client = redis.Redis(port=self.redis_port, socket_timeout=2)
        last, stable_since = None, time.monotonic()
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            state = (client.llen("celery"), pending_recompute_requests())
            if state != last:
                last, stable_since = state, time.monotonic()
            elif state[0] == 0 and time.monotonic() - stable_since >= settle:
                return
            time.sleep(0.5)

    # Faults

    def kill_worker(self) -> None:
        self.stop_process("worker", signal.SIGKILL)

    def stop_broker(self) -> None:
        self.stop_process("redis", signal.SIGKILL)

    def terminate_database_connections(self) -> int:
        with contextlib.closing(raw_connection()) as conn, conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name LIKE %s",
                [f"{APPLICATION_NAME}-%"],
            )
            terminated = cursor.fetchone()[0]
            conn.commit()
            return terminated


def pending_recompute_requests() -> int:
    """Recorded recomputations not yet carried out (the outbox of triage.services.queue)."""
    return QueueRecomputeRequest.objects.count()


@contextlib.contextmanager
def running_stack(**kwargs) -> Iterator[Stack]:
    stack = Stack(**kwargs)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
