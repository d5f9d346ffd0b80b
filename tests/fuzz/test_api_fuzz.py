"""Fuzzing the API (docs/product.md §7): schemathesis generates valid and invalid requests for
every operation of the OpenAPI schema, as a GP, a consultant and an ICB manager, and no answer
may be a server error.

The app runs in-process over WSGI. Each role's run is one test: a database committed for real
(``transaction=True``), so the WSGI app reads the seeded records as it would in production and
a failing request cannot poison the next, and one subtest per operation. Ids in the path are
swapped for real records' ids most of the time (either ICB's), so the handlers behind the 404
are fuzzed too. Hypothesis is derandomised: the same cases every run, for CI.
"""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from directory.services import api_token_issue
from tests.access.scenario import World, build_world
from tests.fuzz.tally import CASES

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("gp", "consultant", "manager")
CASES_PER_OPERATION = 100


@pytest.fixture
def api_schema():
    from interface.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def world() -> World:
    return build_world()


def real_ids(world: World) -> dict[str, list[str]]:
    """The records a path may name, by path parameter: both ICBs', so refusals are fuzzed too."""
    ids: dict[str, list[str]] = {}
    for s in (world.home, world.foreign):
        advice = (s.advice_to_gp, s.advice_to_specialist)
        ids.setdefault("referral_id", []).extend(str(r.uuid) for r in s.referrals)
        ids.setdefault("patient_id", []).append(str(s.patient.uuid))
        ids.setdefault("panel_id", []).extend(str(p.uuid) for p in (s.panel_a, s.panel_b))
        ids.setdefault("advice_id", []).extend(str(a.uuid) for a in advice)
        alerts = (s.extra["alerts_gp"], s.extra["alerts_team"])
        ids.setdefault("alert_id", []).extend(str(a.uuid) for a in alerts)
        ids.setdefault("booking_id", []).append(str(s.extra["diagnostics_booking"].uuid))
        results = (s.extra["diagnostics_result"], s.extra["diagnostics_offered"])
        ids.setdefault("result_id", []).extend(str(r.uuid) for r in results)
        ids.setdefault("budget_id", []).append(str(s.extra["prescribing_budget"].uuid))
        prescription = s.extra["prescribing_prescription"]
        ids.setdefault("prescription_id", []).append(str(prescription.uuid))
        agreements = (s.extra["prescribing_proposal"], s.extra["prescribing_accepted"])
        ids.setdefault("agreement_id", []).extend(str(a.uuid) for a in agreements)
    return ids


def swap_ids(path_parameters: dict, ids: dict[str, list[str]]) -> None:
    """Replace a generated id by a real one, chosen by the generated value (so deterministic);
    one value in every len(pool) + 1 is kept as generated."""
    for name, value in path_parameters.items():
        pool = ids.get(name)
        try:
            index = uuid.UUID(str(value)).int % (len(pool) + 1) if pool else None
        except ValueError:
            continue
        if index is not None and index < len(pool):
            path_parameters[name] = pool[index]


def fuzz(operation, *, call, tally: Counter, key) -> None:
    """Run ``CASES_PER_OPERATION`` generated cases (valid and invalid) of one operation."""
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=CASES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(case=strategy)
    def run(case):
        tally[key] += 1
        response = call(case)
        case.validate_response(response, checks=[not_a_server_error])

    run()


@pytest.mark.parametrize("role", ROLES)
def test_api_answers_no_server_error(role, api_schema, world, request, subtests):
    _, key = api_token_issue(user=world.home.users[role])
    ids = real_ids(world)
    tally = request.config.stash.setdefault(CASES, Counter())

    def call(case):
        if case.path_parameters:
            swap_ids(case.path_parameters, ids)
        # The API's per-user throttle (docs/api.md) would answer most cases 429 otherwise.
        cache.clear()
        return case.call(headers={"Authorization": f"Token {key}"})

    for result in api_schema.get_all_operations():
        operation = result.ok()
        with subtests.test(msg=operation.label):
            fuzz(operation, call=call, tally=tally, key=(role, operation.label))
