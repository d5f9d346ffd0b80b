"""A GP's home in Chromium: the counts of what needs them, and their longest waits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import GPFactory, PatientFactory
from tests.triage.factories import AdviceRequestFactory, ReferralFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_gps_home_shows_the_right_counts(page, sign_in):
    gp = GPFactory()
    AdviceRequestFactory.create_batch(3, practice=gp.organisation)
    AdviceRequestFactory(practice=gp.organisation, status="answered")
    ReferralFactory(
        patient=PatientFactory(registered_practice=gp.organisation),
        status="returned_to_referrer",
    )
    longest = ReferralFactory(
        patient=PatientFactory(registered_practice=gp.organisation),
        clock_start=timezone.localdate() - timedelta(days=400),
    )
    sign_in(gp)
    questions = page.get_by_test_id("home-gp-questions")
    returned = page.get_by_test_id("home-gp-returned")
    assert questions.get_by_test_id("home-count").inner_text() == "3"
    assert questions.get_by_test_id("home-sentence").inner_text() == (
        "3 questions from consultants await your reply."
    )
    assert returned.get_by_test_id("home-count").inner_text() == "1"
    waiting = page.get_by_test_id("home-gp-longest").get_by_role("link").first
    assert waiting.inner_text() == longest.patient.full_name
    assert "57 weeks waited" in page.get_by_test_id("home-gp-longest").inner_text()
