"""Validators for NHS identifiers, shared by models, forms, serializers and imports."""

import re

import nhs_number
from django.core.exceptions import ValidationError

ODS_CODE_RE = re.compile(r"^[A-Z0-9]{3,10}$")
_SEPARATORS_RE = re.compile(r"[\s-]")


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces and dashes people type (``943 476 5919``, ``943-476-5919``)."""
    return _SEPARATORS_RE.sub("", str(value or ""))


def validate_nhs_number(value: str) -> None:
    """NHS Data Dictionary: 10 digits, the last a Modulus 11 check digit."""
    digits = normalise_nhs_number(value)
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError(
            "Enter an NHS number of 10 digits, such as 943 476 5919.", code="nhs_number_format"
        )
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            "This NHS number's check digit is wrong: check it has been copied correctly.",
            code="nhs_number_checksum",
        )


def validate_ods_code(value: str) -> None:
    """ODS codes are 3 to 10 upper-case letters and digits (e.g. Y56, R1H, A81001)."""
    if not ODS_CODE_RE.match(value or ""):
        raise ValidationError(
            "Enter an ODS code of 3 to 10 capital letters and digits, such as A81001.",
            code="ods_code",
        )


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None where no valid number exists."""
    digit = nhs_number.calculate_checksum(first_nine)
    return None if digit is None or digit == 10 else digit
