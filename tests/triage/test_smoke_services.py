import pytest

from interface.services import COMMAND_CONTEXT
from tests.factories import ConsultantFactory
from tests.triage.factories import ReferralFactory
from triage.queue import queue_recompute
from triage.services.reviews import referral_review


@pytest.mark.django_db
def test_recompute_then_review_accepts_referral():
    referral = ReferralFactory()
    ReferralFactory(provider=referral.provider)
    queue_recompute()
    referral.refresh_from_db()
    assert referral.position in (1, 2)
    consultant = ConsultantFactory(organisation=referral.provider)
    review = referral_review(
        referral=referral,
        reviewer=consultant,
        context=COMMAND_CONTEXT,
        category="P2",
        outcome="accept",
        rationale="Locking knee",
        version=referral.version,
    )
    referral.refresh_from_db()
    assert (review.category, referral.status, referral.effective_category) == ("P2", "accepted", "P2")
