"""Set-based recomputation: order, positions per service, idempotence, concurrency."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from tests.factories import TrustFactory
from tests.triage.factories import ReferralFactory, treatment_function
from triage.models import Referral, Status
from triage.services.queue import queue_recompute
from triage.services.referrals import referral_lock, referral_transition

pytestmark = pytest.mark.django_db


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def positions(provider) -> list[tuple[str, int]]:
    return list(
        Referral.objects.filter(provider=provider, position__isnull=False)
        .order_by("position")
        .values_list("ubrn", "position")
    )


def test_earliest_target_comes_first():
    trust = TrustFactory()
    later = ReferralFactory(
        provider=trust, ubrn="000000000001", clock_start=days_ago(10)
    )  # P4: +116
    sooner = ReferralFactory(
        provider=trust, ubrn="000000000002", priority="urgent", clock_start=days_ago(10)
    )  # P2: +18
    queue_recompute()
    assert positions(trust) == [(sooner.ubrn, 1), (later.ubrn, 2)]


def test_same_target_puts_the_more_urgent_category_first():
    trust = TrustFactory()
    # Both targets fall on the same day: P2 clocked 28 days before target, 2WW 14 days before.
    p2 = ReferralFactory(
        provider=trust, ubrn="000000000001", priority="urgent", clock_start=days_ago(28)
    )
    tww = ReferralFactory(
        provider=trust, ubrn="000000000002", priority="two_week_wait", clock_start=days_ago(14)
    )
    queue_recompute()
    assert positions(trust) == [(tww.ubrn, 1), (p2.ubrn, 2)]


def test_same_target_and_category_puts_the_earlier_clock_start_then_lower_id_first():
    trust = TrustFactory()
    first = ReferralFactory(provider=trust, ubrn="000000000001", clock_start=days_ago(5))
    second = ReferralFactory(provider=trust, ubrn="000000000002", clock_start=days_ago(5))
    queue_recompute()
    assert positions(trust) == [(first.ubrn, 1), (second.ubrn, 2)]


def test_each_service_has_its_own_queue():
    trust = TrustFactory()
    ortho = ReferralFactory(provider=trust, ubrn="000000000001")
    ent = ReferralFactory(
        provider=trust, ubrn="000000000002", treatment_function=treatment_function("120")
    )
    queue_recompute()
    ortho.refresh_from_db()
    ent.refresh_from_db()
    assert (ortho.position, ent.position) == (1, 1)


def test_deferred_referrals_lose_their_position():
    trust = TrustFactory()
    waiting = ReferralFactory(provider=trust, ubrn="000000000001")
    deferred = ReferralFactory(
        provider=trust,
        deferred=True,
        category="P5",
        contact_on=timezone.localdate() + timedelta(days=30),
        position=3,
    )
    queue_recompute()
    deferred.refresh_from_db()
    assert positions(trust) == [(waiting.ubrn, 1)]
    assert deferred.position is None


def test_a_referral_that_closes_loses_its_position_and_the_queue_closes_up(
    django_capture_on_commit_callbacks,
):
    trust = TrustFactory()
    first = ReferralFactory(provider=trust, clock_start=days_ago(60))
    second = ReferralFactory(provider=trust, clock_start=days_ago(30))
    queue_recompute()
    assert positions(trust) == [(first.ubrn, 1), (second.ubrn, 2)]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        referral_transition(
            referral=referral_lock(first), actor=None, to_status=Status.CANCELLED, note="test"
        )
    first.refresh_from_db()
    assert first.position is None
    assert positions(trust) == [(second.ubrn, 1)]


def test_recompute_repairs_stale_targets():
    referral = ReferralFactory(priority="urgent")
    Referral.objects.filter(pk=referral.pk).update(
        target_date=None, effective_category="", urgency_rank=None
    )
    queue_recompute()
    referral.refresh_from_db()
    assert (referral.effective_category, referral.target_date) == (
        "P2",
        referral.clock_start + timedelta(days=28),
    )


def test_a_second_run_changes_nothing():
    trust = TrustFactory()
    ReferralFactory.create_batch(5, provider=trust)
    queue_recompute()
    again = queue_recompute()
    assert (again.targets_updated, again.positions_updated) == (0, 0)


def test_recompute_after_a_window_change_moves_targets(settings):
    referral = ReferralFactory(clock_start=days_ago(10))
    settings.TRIAGE_CATEGORY_MAX_WAIT_DAYS = {**settings.TRIAGE_CATEGORY_MAX_WAIT_DAYS, "P4": 60}
    result = queue_recompute()
    referral.refresh_from_db()
    assert result.targets_updated == 1
    assert referral.target_date == referral.clock_start + timedelta(days=60)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_leave_the_same_result_as_one(postgres):
    trust = TrustFactory()
    for days in (3, 40, 90, 200, 400):
        ReferralFactory(provider=trust, clock_start=days_ago(days))
    Referral.objects.update(position=None)
    errors: list[BaseException] = []

    def run():
        try:
            queue_recompute()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [p for _, p in positions(trust)] == [1, 2, 3, 4, 5]
    assert connection.vendor == "postgresql"


def test_a_service_recompute_leaves_the_providers_other_services_alone():
    from triage.services.queue import queue_recompute_provider

    trust = TrustFactory()
    ortho = ReferralFactory(provider=trust, position=None)
    ent = ReferralFactory(
        provider=trust, treatment_function=treatment_function("120"), position=None
    )
    queue_recompute_provider(trust.pk, "110")
    ortho.refresh_from_db()
    ent.refresh_from_db()
    assert (ortho.position, ent.position) == (1, None)


def test_progress_counts_each_provider_finished_out_of_all():
    ReferralFactory(provider=TrustFactory())
    ReferralFactory(provider=TrustFactory(), treatment_function=treatment_function("120"))
    calls = []
    queue_recompute(progress=lambda done, of: calls.append((done, of)))
    assert calls == [(1, 2), (2, 2)]


def test_a_provider_recompute_ranks_each_of_its_services():
    from triage.services.queue import queue_recompute_provider

    trust = TrustFactory()
    ortho = ReferralFactory(provider=trust, position=None)
    ent = ReferralFactory(
        provider=trust, treatment_function=treatment_function("120"), position=None
    )
    ReferralFactory(position=None)  # another trust's
    queue_recompute_provider(trust.pk)
    ortho.refresh_from_db()
    ent.refresh_from_db()
    assert (ortho.position, ent.position) == (1, 1)


def test_a_provider_recompute_drops_the_summary_of_a_service_whose_last_referral_closed():
    from triage.models import BacklogSummary
    from triage.services.queue import queue_recompute_provider

    trust = TrustFactory()
    ReferralFactory(provider=trust)
    closing = ReferralFactory(provider=trust, treatment_function=treatment_function("120"))
    queue_recompute_provider(trust.pk)
    Referral.objects.filter(pk=closing.pk).update(status=Status.DISCHARGED, position=None)
    queue_recompute_provider(trust.pk)
    assert list(
        BacklogSummary.objects.filter(provider=trust).values_list(
            "treatment_function_id", flat=True
        )
    ) == ["110"]
