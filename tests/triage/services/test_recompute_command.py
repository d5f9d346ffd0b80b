"""recompute_queue: the recomputation of docs/product.md §2, run now, with counts and progress."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import TrustFactory
from tests.triage.factories import ReferralFactory
from triage.models import Referral

pytestmark = pytest.mark.django_db


def run() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("recompute_queue", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_recompute_sets_positions_and_prints_counts():
    trust = TrustFactory()
    today = timezone.localdate()
    later = ReferralFactory(provider=trust, clock_start=today - timedelta(days=10))
    sooner = ReferralFactory(
        provider=trust, priority="urgent", clock_start=today - timedelta(days=10)
    )
    out, err = run()
    assert "Recomputed 1 provider(s)" in out and "2 position(s) updated" in out
    assert "Recomputing queues" in err
    assert Referral.objects.get(pk=sooner.pk).position == 1
    assert Referral.objects.get(pk=later.pk).position == 2


def test_a_second_run_changes_nothing():
    ReferralFactory()
    run()
    out, _ = run()
    assert "0 target(s) and 0 position(s) updated" in out


def test_stale_queue_fields_are_corrected():
    referral = ReferralFactory(priority="urgent")
    Referral.objects.filter(pk=referral.pk).update(target_date=None, effective_category="")
    out, _ = run()
    assert "1 target(s)" in out
    referral.refresh_from_db()
    assert referral.effective_category == "P2"
    assert referral.target_date == referral.clock_start + timedelta(days=28)
