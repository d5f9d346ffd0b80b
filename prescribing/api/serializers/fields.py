"""Input fields: lookups of what clients send (NHS numbers, ODS codes, usernames, ids), each
failing with an error that names its field. They take no ``max_length``: DRF would apply it to
the record looked up; a string too long to be a code simply matches nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from core.home import with_article
from directory import selectors as directory
from directory.models import OrganisationKind
from directory.validators import normalise_nhs_number, validate_nhs_number
from prescribing import rules
from prescribing import selectors as prescribing
from prescribing.models import Budget


class VisiblePatientField(serializers.CharField):
    """A patient the caller may see, by NHS number (spaces or dashes allowed)."""

    def to_internal_value(self, data):
        digits = normalise_nhs_number(super().to_internal_value(data))
        try:
            validate_nhs_number(digits)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        user = self.context["request"].user
        patient = directory.patients_visible_to(user).filter(nhs_number=digits).first()
        if patient is None:
            raise serializers.ValidationError("No patient you may see has this NHS number.")
        return patient


class OrganisationOfKindField(serializers.CharField):
    """An organisation of one kind, by its ODS code."""

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        organisation = directory.organisation_get(ods_code=code)
        if organisation is None:
            raise serializers.ValidationError(f"No organisation with ODS code {code.upper()}.")
        if organisation.kind != self.kind:
            label = with_article(OrganisationKind(self.kind).label.lower())
            raise serializers.ValidationError(f"{organisation.ods_code} is not {label}.")
        return organisation


class UsernameField(serializers.CharField):
    """A user by username."""

    def to_internal_value(self, data):
        username = super().to_internal_value(data)
        user = directory.user_get(username=username)
        if user is None:
            raise serializers.ValidationError(f"No user {username}.")
        return user


class FinancialYearField(serializers.CharField):
    """A financial year as "2026/27", to its starting year."""

    def to_internal_value(self, data):
        try:
            return rules.financial_year_parse(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class BudgetField(serializers.UUIDField):
    """A joint budget by its id (budgets hold no patient data; the service checks it is one
    this prescription may be charged to)."""

    def to_internal_value(self, data):
        budget = Budget.objects.filter(uuid=super().to_internal_value(data)).first()
        if budget is None:
            raise serializers.ValidationError("No budget has this id.")
        return budget


class VisibleAgreementField(serializers.UUIDField):
    """A shared care agreement the caller is a party to, by its id."""

    def to_internal_value(self, data):
        user = self.context["request"].user
        agreement = (
            prescribing.agreements_visible_to(user)
            .filter(uuid=super().to_internal_value(data))
            .first()
        )
        if agreement is None:
            raise serializers.ValidationError("No shared care agreement of yours has this id.")
        return agreement
