"""Review panels drawn from primary, community and secondary care (docs/product.md §2)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from core.errors import ApplicationError
from directory.models import PROVIDER_KINDS, Organisation, OrganisationKind, User
from triage import permissions
from triage.models import (
    OPEN_STATUSES,
    EventKind,
    PanelMembership,
    Referral,
    ReferralEvent,
    ReviewPanel,
    TreatmentFunction,
)

SECTOR_OF_KIND = {
    OrganisationKind.GP_PRACTICE: "primary",
    OrganisationKind.COMMUNITY_PROVIDER: "community",
    OrganisationKind.DIAGNOSTIC_HUB: "community",
    OrganisationKind.TRUST: "secondary",
}
REQUIRED_SECTORS = ("primary", "community", "secondary")


def sector_of(user: User) -> str | None:
    return SECTOR_OF_KIND.get(user.organisation.kind) if user.organisation_id else None


def panel_missing_sectors(members: list[User]) -> list[str]:
    present = {sector_of(member) for member in members}
    return [sector for sector in REQUIRED_SECTORS if sector not in present]


@transaction.atomic
def panel_create(
    *,
    actor: User,
    name: str,
    provider: Organisation,
    treatment_function: TreatmentFunction,
    members: list[User],
) -> ReviewPanel:
    """A panel for one service, with clinicians from all three sectors (returning and retired
    doctors included: they are ordinary clinicians with a flag)."""
    if not permissions.can_set_up_panels(actor, provider.pk):
        raise ApplicationError("Only the provider's clinicians can set up its review panels.")
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Give the panel a name."]
    if provider.kind not in PROVIDER_KINDS:
        errors["provider"] = [f"{provider.ods_code} is not a trust or community provider."]
    not_clinicians = [m.username for m in members if not m.is_clinician]
    if not_clinicians:
        errors["members"] = [f"Only clinicians sit on panels: {', '.join(not_clinicians)}."]
    missing = panel_missing_sectors(members)
    if missing:
        errors.setdefault("members", []).append(
            f"A panel needs members from primary, community and secondary care; missing: {', '.join(missing)}."
        )
    if ReviewPanel.objects.filter(
        provider=provider, treatment_function=treatment_function, name=name.strip()
    ).exists():
        errors.setdefault("name", []).append("This service already has a panel with that name.")
    if errors:
        raise ApplicationError("The panel was not created.", field_errors=errors)
    panel = ReviewPanel.objects.create(
        name=name.strip(), provider=provider, treatment_function=treatment_function
    )
    PanelMembership.objects.bulk_create(PanelMembership(panel=panel, user=m) for m in members)
    return panel


@transaction.atomic
def panel_add_member(*, panel: ReviewPanel, user: User) -> PanelMembership:
    if not user.is_clinician:
        raise ApplicationError(
            "Only clinicians sit on panels.", field_errors={"user": [user.username]}
        )
    membership, _ = PanelMembership.objects.get_or_create(panel=panel, user=user)
    return membership


@transaction.atomic
def panel_assign_referrals(
    *, panel: ReviewPanel, actor: User, context: AuditContext, referrals: QuerySet[Referral]
) -> int:
    """Assign open referrals of the panel's service to it, set-based; returns how many moved.

    Referrals of another service, or closed ones, are left alone.
    """
    if not permissions.can_assign_to_panel(actor, panel):
        raise ApplicationError("Only the provider's clinicians can assign referrals to its panels.")
    eligible = referrals.filter(
        provider_id=panel.provider_id,
        treatment_function_id=panel.treatment_function_id,
        status__in=OPEN_STATUSES,
    ).exclude(panel=panel)
    rows = list(eligible.values_list("id", "patient_id", "uuid"))
    if not rows:
        return 0
    ids = [row[0] for row in rows]
    Referral.objects.filter(id__in=ids).update(panel=panel)
    ReferralEvent.objects.bulk_create(
        ReferralEvent(
            referral_id=i, actor=actor, kind=EventKind.PANEL, note=f"Assigned to {panel.name}"
        )
        for i in ids
    )
    audit_record(
        actor=actor,
        context=context,
        action=AuditAction.UPDATE,
        object_type="referral",
        patient_ids=[row[1] for row in rows],
        object_ids=[str(row[2]) for row in rows],
        detail=f"assigned to panel {panel.name}",
    )
    return len(ids)
