"""gunicorn for Interface: ``gunicorn --config gunicorn.conf.py`` (Dockerfile, docker-compose).

Every value comes from the environment; docs/operations.md ("Serving: gunicorn") explains the
choices. In short: the request mix is short database-bound reads and writes (queue pages,
referral pages, reviews), which spend most of their time waiting on PostgreSQL with the GIL
released, so each worker process runs several threads (``gthread``). A thread stuck on a slow
statement no longer stalls its whole worker, and PostgreSQL's statement_timeout
(WEB_STATEMENT_TIMEOUT_MS, core/db.py) bounds how long it can be stuck. ``timeout`` is gunicorn's
last resort for a wedged worker process and stays above that bound, so a statement is always
cancelled cleanly (a 503) long before a worker would be killed (a dropped connection).
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _cpus() -> int:
    # The CPUs this container may use (cgroup cpusets), not the host's count.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


wsgi_app = "interface.wsgi:application"
# Inside a container 0.0.0.0:8000 (the image sets GUNICORN_BIND); on a host, loopback only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# Processes x threads is the number of requests served at once, and also the number of
# PostgreSQL connections the web holds (each thread keeps its own, CONN_MAX_AGE): keep
# workers x threads x web replicas + Celery's concurrency under max_connections (100).
workers = _int("GUNICORN_WORKERS", max(2, _cpus()))
threads = _int("GUNICORN_THREADS", 4)
# Seconds without a heartbeat before the arbiter kills a worker. With gthread a long request
# does not stop the heartbeat; this catches a wedged process. Above the statement timeout.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy, a scale-down), requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections from the proxy wait in the poller, not in a thread.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Replace each worker after about this many requests (jittered so they do not all restart at
# once): memory growth stays bounded and nothing restarts the whole pool at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The heartbeat file on tmpfs where there is one (a container's overlay disk can stall it).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - tmpfs, gunicorn's own file
# "-" is standard output; empty turns the access log off (the load test does).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The web statement timeout must be well inside the worker timeout (core/db.py): refuse a
# configuration where gunicorn would kill a worker before PostgreSQL cancels its statement.
_statement_ms = _int("WEB_STATEMENT_TIMEOUT_MS", 10_000)
if _statement_ms <= 0 or _statement_ms >= timeout * 1000:
    raise RuntimeError(
        f"WEB_STATEMENT_TIMEOUT_MS ({_statement_ms}) must be above 0 and below "
        f"GUNICORN_TIMEOUT ({timeout} s); see docs/operations.md"
    )
