"""Validators for diagnostics identifiers, shared by models, forms and serializers."""

from django.core.validators import RegexValidator

# SNOMED CT identifiers are 6 to 18 digits with no leading zero (SNOMED CT Technical Implementation
# Guide, SCTID); the last digit is a Verhoeff check digit, which the reference data carries.
SNOMED_CODE_VALIDATOR = RegexValidator(
    r"^[1-9][0-9]{5,17}$", "A SNOMED CT code is 6 to 18 digits.", code="snomed_code"
)
