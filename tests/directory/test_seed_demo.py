"""seed_demo: a realistic demo system, every role, 999-range patients, a spread of waits."""

import io
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from devtools.demo import DemoPractice, demo_referrals_generate, rtt_shapes
from directory.models import Organisation, Patient, Role, User
from directory.validators import validate_nhs_number
from triage.models import AdviceRequest, Referral, ReferralEvent, Review, ReviewPanel
from triage.permissions import can_review
from triage.rules import can_transition
from triage.selectors import advice_awaiting_reply, queue_for_user, referrals_visible_to

pytestmark = pytest.mark.django_db

N = 600


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module (rolled back after it); a fast hasher for the demo users."""
    out = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        call_command("seed_demo", referrals=N, stdout=out, stderr=io.StringIO())
        yield out.getvalue()
        transaction.set_rollback(True)


def test_every_role_has_a_demo_user_with_the_printed_password(seeded):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert f"Password for every demo user: {settings.INTERFACE_DEMO_PASSWORD}" in seeded
    for username in ("gp", "consultant", "community", "diagnostics", "manager", "admin"):
        assert f"  {username} " in seeded
        assert User.objects.get(username=username).check_password(settings.INTERFACE_DEMO_PASSWORD)
    assert User.objects.get(username="retired.gp").is_returning_clinician


def test_organisations_of_every_kind_in_two_icbs(seeded):
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {
        "icb",
        "trust",
        "community_provider",
        "diagnostic_hub",
        "pharmacy",
        "gp_practice",
    }
    assert Organisation.objects.filter(kind="icb").count() == 2
    assert Organisation.objects.filter(kind="gp_practice").count() == 12


def test_patients_have_valid_999_range_nhs_numbers(seeded):
    numbers = list(Patient.objects.values_list("nhs_number", flat=True))
    assert 0.7 * N <= len(numbers) <= 0.9 * N
    for number in numbers:
        assert number.startswith("999")
        validate_nhs_number(number)


def test_waits_spread_from_days_to_beyond_104_weeks(seeded):
    today = timezone.localdate()
    waits = sorted((today - d).days for d in Referral.objects.values_list("clock_start", flat=True))
    assert len(waits) == N
    assert waits[0] < 14
    assert 7 * 8 <= waits[len(waits) // 2] <= 7 * 18  # national median about 13 weeks
    assert any(w >= 7 * 104 for w in waits)
    assert any(7 * 52 <= w < 7 * 104 for w in waits)


def test_referrals_cover_categories_statuses_and_history(seeded):
    categories = set(Referral.objects.values_list("category", flat=True))
    assert {None, "P2", "P3", "P4"} <= categories
    assert categories & {"P5", "P6"}
    assert Referral.objects.filter(deferred=True, contact_on__isnull=False).exists()
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"awaiting_review", "accepted", "booked", "advice_requested"} <= statuses
    assert Referral.objects.filter(awaiting_rebook=True, dna_count=1).exists()
    assert ReferralEvent.objects.filter(kind="created").count() == N
    assert Referral.objects.filter(position=1).exists()  # queues recomputed


def test_panels_mix_sectors_and_include_the_retired_doctor(seeded):
    assert ReviewPanel.objects.count() >= 4
    retired = User.objects.get(username="retired.gp")
    for panel in ReviewPanel.objects.all():
        kinds = set(panel.members.values_list("organisation__kind", flat=True))
        assert {"gp_practice", "trust"} <= kinds and kinds & {"community_provider"}
        assert retired in panel.members.all()
    assert Referral.objects.filter(panel__isnull=False).exists()


def test_demo_gp_sees_referrals_and_an_advice_request_waiting(seeded):
    gp = User.objects.get(username="gp")
    assert referrals_visible_to(gp).exists()
    assert advice_awaiting_reply(gp).exists()


def test_demo_consultant_has_a_busy_queue_and_sits_on_a_panel(seeded):
    consultant = User.objects.get(username="consultant")
    assert queue_for_user(consultant).count() >= 50
    assert consultant.review_panels.exists()
    assert AdviceRequest.objects.filter(asked_by=consultant).exists()


def test_second_run_adds_nothing_and_does_not_fail(seeded):
    counts = (User.objects.count(), Referral.objects.count(), Patient.objects.count())
    out = io.StringIO()
    call_command("seed_demo", referrals=N, stdout=out, stderr=io.StringIO())
    assert "already loaded" in out.getvalue()
    assert (User.objects.count(), Referral.objects.count(), Patient.objects.count()) == counts


def test_same_seed_gives_the_same_rows():
    def rows(seed):
        generated = demo_referrals_generate(
            50,
            seed=seed,
            services=rtt_shapes(["R1H"]),
            practices=[DemoPractice("F84901", "QMF")],
            provider_icbs={"R1H": "QMF"},
            today=date(2026, 3, 31),
        )
        return [(r["ubrn"], r["nhs_number"], r["clock_start"], r["category"]) for r in generated]

    assert rows(1) == rows(1)
    assert rows(1) != rows(2)


def test_shape_file_reproduces_each_service_median():
    shape = next(s for s in rtt_shapes(["R1H"]) if s.treatment_function == "110")
    median_index = shape.probabilities.index(0.5)
    assert shape.wait_days(0.5) == int(shape.weeks[median_index] * 7)
    assert shape.wait_days(0.0) == 0
    assert shape.wait_days(0.9999) >= 7 * 104


def test_no_referral_waits_beyond_today(seeded):
    assert not Referral.objects.filter(clock_start__gt=timezone.localdate()).exists()
    assert Referral.objects.filter(
        clock_start__lte=timezone.localdate() - timedelta(days=364)
    ).exists()


def test_seed_demo_refuses_to_run_in_production():
    users = User.objects.count()
    with (
        override_settings(PRODUCTION=True),
        pytest.raises(CommandError, match="refuses to run in production"),
    ):
        call_command("seed_demo", referrals=1, stdout=io.StringIO(), stderr=io.StringIO())
    assert User.objects.count() == users


def test_every_reviewed_referral_has_its_review_by_a_clinician_who_may_review(seeded):
    reviewed = Referral.objects.filter(category__isnull=False)
    assert reviewed.exists()
    assert not reviewed.filter(reviews__isnull=True).exists()
    assert not Referral.objects.filter(category__isnull=True, reviews__isnull=False).exists()
    for review in Review.objects.select_related("referral", "reviewer"):
        assert review.category == review.referral.category
        assert review.rationale.strip()
        assert can_review(review.reviewer, review.referral)
        assert review.created_at.date() >= review.referral.clock_start


def test_every_event_is_dated_from_its_clock_start_to_today(seeded):
    today = timezone.localdate()
    events = ReferralEvent.objects.values_list("at", "referral__clock_start")
    assert events
    for at, clock_start in events:
        assert clock_start <= timezone.localtime(at).date() <= today
    # Not all stamped with the seeding time.
    assert len({at.date() for at, _ in events}) > 100


def test_every_status_was_reached_by_allowed_transitions(seeded):
    walked: dict[int, str] = {}
    events = ReferralEvent.objects.filter(kind__in=("created", "status")).order_by(
        "referral_id", "at", "id"
    )
    for referral_id, kind, from_status, to_status in events.values_list(
        "referral_id", "kind", "from_status", "to_status"
    ):
        if kind == "created":
            assert referral_id not in walked
            walked[referral_id] = to_status
            continue
        assert from_status == walked[referral_id]
        assert can_transition(from_status, to_status), (referral_id, from_status, to_status)
        walked[referral_id] = to_status
    assert walked == dict(Referral.objects.values_list("id", "status"))


def test_a_booked_referral_has_its_booking_in_its_history(seeded):
    booked = Referral.objects.filter(status="booked").first()
    assert booked.events.filter(kind="status", to_status="booked", note__startswith="Appointment")


def test_advice_is_asked_by_the_reviewer_when_they_reviewed(seeded):
    for advice in AdviceRequest.objects.filter(referral__isnull=False).select_related("referral"):
        review = advice.referral.reviews.get()
        assert advice.asked_by_id == review.reviewer_id
        assert advice.asked_at == review.created_at
