"""The directory: organisations, users and patients (docs/product.md §1)."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from directory.validators import validate_nhs_number, validate_ods_code


class OrganisationKind(models.TextChoices):
    GP_PRACTICE = "gp_practice", "GP practice"
    TRUST = "trust", "Trust (secondary care)"
    COMMUNITY_PROVIDER = "community_provider", "Community provider"
    DIAGNOSTIC_HUB = "diagnostic_hub", "Diagnostic hub"
    PHARMACY = "pharmacy", "Pharmacy"
    ICB = "icb", "Integrated care board"


# Organisations that receive referrals and provide care: trusts and community providers.
PROVIDER_KINDS = frozenset({OrganisationKind.TRUST, OrganisationKind.COMMUNITY_PROVIDER})


class Organisation(models.Model):
    ods_code = models.CharField(
        "ODS code",
        max_length=10,
        unique=True,
        validators=[validate_ods_code],
        help_text="Organisation Data Service code, e.g. A81001 (practice), R1H (trust), QMF (ICB).",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices, db_index=True)
    icb = models.ForeignKey(
        "self",
        verbose_name="ICB",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": OrganisationKind.ICB},
        help_text="The integrated care board this organisation belongs to (none for an ICB).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # docs/product.md §1: each non-ICB organisation belongs to one ICB; an ICB to none.
            models.CheckConstraint(
                condition=(Q(kind=OrganisationKind.ICB) & Q(icb__isnull=True))
                | (~Q(kind=OrganisationKind.ICB) & Q(icb__isnull=False)),
                name="organisation_icb_iff_not_icb",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class Role(models.TextChoices):
    GP = "gp", "GP"
    CONSULTANT = "consultant", "Consultant"
    COMMUNITY_CLINICIAN = "community_clinician", "Community clinician"
    DIAGNOSTICS_STAFF = "diagnostics_staff", "Diagnostics staff"
    MANAGER = "manager", "ICB manager"
    ADMIN = "admin", "Administrator"


CLINICAL_ROLES = frozenset(
    {Role.GP, Role.CONSULTANT, Role.COMMUNITY_CLINICIAN, Role.DIAGNOSTICS_STAFF}
)

# The kind of organisation each role works for. A returning or retired doctor keeps the role of
# the sector they work in and is flagged, not given a role of their own.
ROLE_ORGANISATION_KINDS: dict[str, frozenset[str]] = {
    Role.GP: frozenset({OrganisationKind.GP_PRACTICE}),
    Role.CONSULTANT: frozenset({OrganisationKind.TRUST}),
    Role.COMMUNITY_CLINICIAN: frozenset({OrganisationKind.COMMUNITY_PROVIDER}),
    Role.DIAGNOSTICS_STAFF: frozenset({OrganisationKind.DIAGNOSTIC_HUB}),
    Role.MANAGER: frozenset({OrganisationKind.ICB}),
    Role.ADMIN: frozenset(OrganisationKind.values),
}


class User(AbstractUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=32, choices=Role.choices, db_index=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_returning_clinician = models.BooleanField(
        "returning or retired clinician",
        default=False,
        help_text="A returning, retired or shielding doctor, usually working through panels.",
    )
    specialties = models.JSONField(
        default=list,
        blank=True,
        help_text='Treatment function codes a consultant works in, e.g. ["110", "120"].',
    )

    class Meta:
        constraints = [
            # docs/product.md §1: a user has one organisation; only a system administrator may have none.
            models.CheckConstraint(
                condition=Q(role="admin") | Q(organisation__isnull=False),
                name="user_organisation_unless_admin",
            ),
        ]

    @property
    def is_clinician(self) -> bool:
        return self.role in CLINICAL_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.display_name


def patient_display_name(family_name: str, given_name: str) -> str:
    """NHS style: FAMILY, Given."""
    return f"{family_name.upper()}, {given_name}"


class Patient(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nhs_number = models.CharField(
        "NHS number",
        max_length=10,
        unique=True,
        validators=[validate_nhs_number],
        help_text="10 digits, Modulus 11 check digit; stored as digits only.",
    )
    family_name = models.CharField(max_length=100)
    given_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    registered_practice = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="registered_patients",
        limit_choices_to={"kind": OrganisationKind.GP_PRACTICE},
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nhs_number__regex=r"^[0-9]{10}$"), name="patient_nhs_number_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nhs_number_display})"

    @property
    def full_name(self) -> str:
        return patient_display_name(self.family_name, self.given_name)

    @property
    def nhs_number_display(self) -> str:
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}"


class TokenRevocation(models.TextChoices):
    REVOKED = "revoked", "Revoked by an administrator"
    REISSUED = "reissued", "Replaced by a new token"
    ORGANISATION_OR_ROLE_CHANGED = (
        "organisation_or_role_changed",
        "The holder's organisation or role changed",
    )


class ApiToken(models.Model):
    """An API token, kept only as the SHA-256 of its key: the key is shown once, at issue.

    It is good until ``expires_at`` and only while its holder keeps the organisation and role it
    was issued for (docs/product.md §1: one organisation and one role decide what a user sees).
    """

    key_hash = models.CharField("SHA-256 of the key", max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=8, editable=False, help_text="The key's first characters, to tell tokens apart."
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The holder's organisation when the token was issued.",
    )
    role = models.CharField(
        max_length=32, choices=Role.choices, help_text="The holder's role when it was issued."
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(
        max_length=32, choices=TokenRevocation.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="apitoken_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_reason="")
                | (Q(revoked_at__isnull=False) & ~Q(revoked_reason="")),
                name="apitoken_revoked_with_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
