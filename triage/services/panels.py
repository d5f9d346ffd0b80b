"""Review panels drawn from primary, community and secondary care (docs/product.md §2)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from core.errors import ApplicationError, ConflictError
from directory.models import PROVIDER_KINDS, Organisation, OrganisationKind, User
from triage import permissions
from triage.models import (
    OPEN_STATUSES,
    EventKind,
    MembershipStatus,
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
    if not any(m.is_clinician and m.organisation_id == provider.pk for m in members):
        # The provider stays answerable for the referrals it hands a panel: one of its own
        # clinicians sits on every panel it runs.
        errors.setdefault("members", []).append(
            f"A panel needs a clinician of {provider.name} ({provider.ods_code}), the provider "
            "that runs it."
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
    PanelMembership.objects.bulk_create(
        PanelMembership(panel=panel, user=m, **_seat_offered(m, provider))
        for m in dict.fromkeys(members)
    )
    return panel


def _seat_offered(user: User, provider: Organisation) -> dict:
    """A seat is taken at once by a clinician of the provider's own ICB; anyone else is invited
    and sees nothing through the panel until they accept."""
    if permissions.joins_panel_without_invitation(user, provider):
        return {"status": MembershipStatus.ACCEPTED, "responded_at": timezone.now()}
    return {"status": MembershipStatus.PENDING, "responded_at": None}


@transaction.atomic
def panel_add_member(*, panel: ReviewPanel, user: User) -> PanelMembership:
    """Offer ``user`` a seat on the panel; a clinician who declined before is invited again."""
    if not user.is_clinician:
        raise ApplicationError(
            "Only clinicians sit on panels.", field_errors={"user": [user.username]}
        )
    membership, created = PanelMembership.objects.get_or_create(
        panel=panel, user=user, defaults=_seat_offered(user, panel.provider)
    )
    if not created and membership.status == MembershipStatus.DECLINED:
        for name, value in _seat_offered(user, panel.provider).items():
            setattr(membership, name, value)
        membership.save(update_fields=["status", "responded_at"])
    return membership


def _respond(*, membership: PanelMembership, actor: User, to_status: str) -> PanelMembership:
    membership = PanelMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id != actor.pk:
        raise ApplicationError("Only the clinician invited can answer this invitation.")
    if membership.status == to_status:
        return membership  # answering twice the same way changes nothing
    if membership.status == MembershipStatus.DECLINED:
        raise ConflictError(
            "You have already declined this invitation; the provider's clinicians can invite "
            "you again.",
            current={"status": membership.status},
        )
    if membership.status == MembershipStatus.ACCEPTED:
        raise ConflictError(
            "You have already accepted this seat on the panel.",
            current={"status": membership.status},
        )
    membership.status = to_status
    membership.responded_at = timezone.now()
    membership.save(update_fields=["status", "responded_at"])
    return membership


@transaction.atomic
def panel_membership_accept(*, membership: PanelMembership, actor: User) -> PanelMembership:
    """The invited clinician takes their seat: from now on the panel's referrals, and their
    patients, are theirs to see and review."""
    return _respond(membership=membership, actor=actor, to_status=MembershipStatus.ACCEPTED)


@transaction.atomic
def panel_membership_decline(*, membership: PanelMembership, actor: User) -> PanelMembership:
    """The invited clinician turns the seat down; the panel never shows them a patient."""
    return _respond(membership=membership, actor=actor, to_status=MembershipStatus.DECLINED)


@transaction.atomic
def panel_assign_referrals(
    *,
    panel: ReviewPanel,
    actor: User,
    context: AuditContext,
    referrals: QuerySet[Referral],
    selected_by: str = "referrals",
) -> int:
    """Assign open referrals of the panel's service to it, set-based; returns how many moved.

    Referrals of another service, or closed ones, are left alone. One assignment moves at most
    ``TRIAGE_PANEL_ASSIGN_MAX`` referrals: each hands a panel's members sight of every patient
    moved, so a larger one is refused whole, naming ``selected_by`` (the input that chose the
    referrals: ``referrals`` or ``filters``), and changes nothing.
    """
    if not permissions.can_assign_to_panel(actor, panel):
        raise ApplicationError("Only the provider's clinicians can assign referrals to its panels.")
    eligible = referrals.filter(
        provider_id=panel.provider_id,
        treatment_function_id=panel.treatment_function_id,
        status__in=OPEN_STATUSES,
    ).exclude(panel=panel)
    limit = settings.TRIAGE_PANEL_ASSIGN_MAX
    rows = list(eligible.order_by("id").values_list("id", "patient_id", "uuid")[: limit + 1])
    if len(rows) > limit:
        raise ApplicationError(
            "Too many referrals for one assignment.",
            field_errors={
                selected_by: [
                    f"These would move more than {limit} referrals to {panel.name}; one "
                    f"assignment moves at most {limit}. Narrow the selection and assign in parts."
                ]
            },
        )
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
        detail=f"assigned to panel {panel.name} ({panel.uuid}): {len(ids)} referrals moved in one assignment",
    )
    return len(ids)
