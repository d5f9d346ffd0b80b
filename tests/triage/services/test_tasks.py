import time

import pytest

from tests.triage.factories import ReferralFactory
from triage.models import Referral
from triage.tasks import queue_recompute_task


def test_recompute_task_runs_on_a_real_worker_through_redis(celery_worker_queue):
    provider_referral = ReferralFactory(position=None)
    ReferralFactory(provider=provider_referral.provider, position=None)

    def positions():
        return sorted(
            Referral.objects.filter(provider=provider_referral.provider).values_list(
                "position", flat=True
            ),
            key=lambda position: position or 0,
        )

    # No result backend (nothing reads a task's result): the effect is what we wait for.
    queue_recompute_task.apply_async(queue=celery_worker_queue)
    deadline = time.monotonic() + 120
    while None in positions() and time.monotonic() < deadline:
        time.sleep(0.1)

    assert positions() == [1, 2]


@pytest.mark.django_db
def test_recompute_task_runs_in_process_without_a_broker():
    referral = ReferralFactory(position=None)
    result = queue_recompute_task.delay().get()
    referral.refresh_from_db()
    assert (result["providers"], referral.position) == (1, 1)
