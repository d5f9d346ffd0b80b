"""Validators for the codes prescribing stores: dm+d and SNOMED CT identifiers."""

from django.core.validators import RegexValidator

# dm+d (the NHS Dictionary of medicines and devices) identifies a medicine by a SNOMED CT
# compatible code: 6 to 18 digits (a VTM, VMP, AMP, VMPP or AMPP).
DMD_CODE_VALIDATOR = RegexValidator(
    r"^[0-9]{6,18}$", "A dm+d code is 6 to 18 digits, such as 39720311000001101.", code="dmd_code"
)
# SNOMED CT concept ids (the monitoring tests): 6 to 18 digits.
SNOMED_CODE_VALIDATOR = RegexValidator(
    r"^[0-9]{6,18}$", "A SNOMED CT code is 6 to 18 digits, such as 26604007.", code="snomed"
)
