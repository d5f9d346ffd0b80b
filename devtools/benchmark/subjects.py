"""Who the benchmark measures as: users of the busiest service and of the busiest practice."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count

from directory.models import Organisation, OrganisationKind, Role, User
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


BENCH_PANELS = 3  # the community clinician's panels: the largest services of the trust's ICB
PANEL_SHARE = 4  # one open referral in this many of each such service is assigned to its panel


def bench_community_clinician(provider: Organisation) -> User:
    """A community clinician of a community provider in the trust's ICB, sitting (accepted) on
    panels of the ICB's largest services (the trust's own first: a specialist trust may have
    only one service), each holding a share of its service's referrals. Made once: a later run
    finds the panels and their referrals in place."""
    from triage.models import MembershipStatus, PanelMembership, ReviewPanel

    community, _ = Organisation.objects.update_or_create(
        ods_code="BENCHCOM",
        defaults={
            "name": "Benchmark Community Services",
            "kind": OrganisationKind.COMMUNITY_PROVIDER,
            "icb_id": provider.icb_id,
        },
    )
    clinician, _ = User.objects.update_or_create(
        username="bench.community",
        defaults={"role": Role.COMMUNITY_CLINICIAN, "organisation": community},
    )
    services = list(
        Referral.objects.filter(QUEUE_Q, provider__icb_id=provider.icb_id)
        .values_list("provider_id", "treatment_function_id")
        .annotate(n=Count("id"))
        .order_by("-n")[: BENCH_PANELS * 10]
    )
    services.sort(key=lambda service: service[0] != provider.pk)  # stable: the trust's first
    for provider_id, function, _ in services[:BENCH_PANELS]:
        panel, created = ReviewPanel.objects.get_or_create(
            provider_id=provider_id,
            treatment_function_id=function,
            name=f"Benchmark panel {function}",
        )
        PanelMembership.objects.update_or_create(
            panel=panel, user=clinician, defaults={"status": MembershipStatus.ACCEPTED}
        )
        if created:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE triage_referral SET panel_id = %s WHERE provider_id = %s "
                    "AND treatment_function_id = %s AND panel_id IS NULL AND id %% %s = 0",
                    [panel.pk, provider_id, function, PANEL_SHARE],
                )
    return clinician
