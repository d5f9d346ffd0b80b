"""Who the benchmark measures as: users of the busiest service and of the busiest practice."""

from __future__ import annotations

from django.db.models import Count

from directory.models import Organisation, Role, User
from triage.models import QUEUE_Q, Referral


def bench_users() -> tuple[User, User, User, Organisation, Organisation, str]:
    """The manager of the largest service's ICB, a consultant of its trust, a GP of the practice
    with the most open referrals, the ICB, the trust and the service's treatment function.
    The users are moved to those organisations if an earlier run made them elsewhere."""
    busiest = (
        Referral.objects.filter(QUEUE_Q)
        .values("provider_id", "provider__icb_id", "treatment_function_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    practice_id = (
        Referral.objects.filter(QUEUE_Q)
        .values("referring_practice_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("referring_practice_id", flat=True)
        .first()
    )
    provider = Organisation.objects.get(pk=busiest["provider_id"])
    icb = Organisation.objects.get(pk=busiest["provider__icb_id"])
    users = [
        User.objects.update_or_create(
            username=username, defaults={"role": role, "organisation_id": organisation_id}
        )[0]
        for username, role, organisation_id in (
            ("bench.manager", Role.MANAGER, icb.pk),
            ("bench.consultant", Role.CONSULTANT, provider.pk),
            ("bench.gp", Role.GP, practice_id),
        )
    ]
    manager, consultant, gp = users
    return manager, consultant, gp, icb, provider, busiest["treatment_function_id"]
