"""The load test's users (locust), driven by ``python manage.py loadtest`` (docs/benchmarks.md).

Runs in locust's own process (gevent), so it imports nothing of Django or the project: the
command writes a plan (API tokens of the demo's users and the services they work) to the JSON
file named by ``LOADTEST_PLAN``, and reads back the status codes this process counted from
``LOADTEST_STATUS_FILE``.

The mix, per simulated clinician:

- consultants (weight 3): their service's queue (first page, then up to two more pages by the
  cursor), a referral read, and now and then a review of an unreviewed referral (409 when
  another user reviewed it first is a correct answer, not a failure);
- GPs (weight 1): their practice's referrals in queue order, the advice requests of their
  practice, and now and then a reply to one awaiting it.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter, defaultdict
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = (
    json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
    if "LOADTEST_PLAN" in os.environ
    else {}
)
# Status codes by request name; 0 is a connection that failed before any answer.
STATUSES: dict[str, Counter] = defaultdict(Counter)
EXPECTED = {200, 201, 409}


@events.request.add_listener
def _count(name, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    STATUSES[name][status] += 1


@events.quitting.add_listener
def _write_statuses(environment, **kwargs):
    path = os.environ.get("LOADTEST_STATUS_FILE")
    if path:
        Path(path).write_text(json.dumps({name: dict(c) for name, c in STATUSES.items()}))


def _expected(response) -> None:
    """Count the status; only an unexpected one is a locust failure."""
    if response.status_code in EXPECTED:
        response.success()
    else:
        response.failure(f"HTTP {response.status_code}")


class ApiUser(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    role = ""

    def on_start(self):
        self.me = random.choice(PLAN[self.role])
        self.client.headers["Authorization"] = f"Token {self.me['token']}"
        self.seen: list[dict] = []

    def get(self, path: str, name: str, **params) -> dict | None:
        with self.client.get(path, params=params, name=name, catch_response=True) as response:
            _expected(response)
            return response.json() if response.status_code == 200 else None

    def post(self, path: str, name: str, body: dict) -> int:
        with self.client.post(path, json=body, name=name, catch_response=True) as response:
            _expected(response)
            return response.status_code

    def read_queue(self, pages: int, **filters) -> None:
        body = self.get("/api/v1/queue/", "queue: first page", **filters)
        for _ in range(pages):
            if not body or not body.get("next"):
                break
            self.seen = body["results"] or self.seen
            body = self.get(body["next"], "queue: next page (cursor)")
        if body and body.get("results"):
            self.seen = body["results"]

    def read_referral(self) -> dict | None:
        if not self.seen:
            return None
        row = random.choice(self.seen)
        return self.get(f"/api/v1/referrals/{row['id']}/", "referral: read")


class Consultant(ApiUser):
    weight = 3
    role = "consultants"

    def service(self, **extra) -> dict:
        return {
            "provider": self.me["provider"],
            "treatment_function": self.me["treatment_function"],
            **extra,
        }

    @task(4)
    def queue(self):
        self.read_queue(random.randint(0, 2), **self.service())

    @task(3)
    def referral(self):
        self.read_referral()

    @task(1)
    def review(self):
        body = self.get("/api/v1/queue/", "queue: first page", **self.service(reviewed="false"))
        rows = [r for r in (body or {}).get("results", []) if r["status"] == "awaiting_review"]
        if not rows:
            return
        referral = self.get(f"/api/v1/referrals/{random.choice(rows)['id']}/", "referral: read")
        if not referral:
            return
        self.post(
            f"/api/v1/referrals/{referral['id']}/review/",
            "referral: review",
            {
                "category": random.choice(["P2", "P3", "P4"]),
                "outcome": "accept",
                "rationale": "Load test: accepted at the category the history supports.",
                "version": referral["version"],
            },
        )


class GP(ApiUser):
    weight = 1
    role = "gps"

    @task(3)
    def queue(self):
        self.read_queue(random.randint(0, 1))

    @task(2)
    def referral(self):
        self.read_referral()

    @task(2)
    def advice(self):
        body = self.get("/api/v1/advice-requests/", "advice: list")
        waiting = [
            a
            for a in (body or {}).get("results", [])
            if a["status"] == "awaiting_reply" and a["practice"] == self.me["practice"]
        ]
        if waiting and random.random() < 0.5:
            self.post(
                f"/api/v1/advice-requests/{random.choice(waiting)['id']}/reply/",
                "advice: reply",
                {"answer": "Load test: symptoms unchanged since referral; no new medication."},
            )
