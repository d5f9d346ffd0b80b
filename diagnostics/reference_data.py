"""Reference data: the test types community diagnostic hubs offer, with SNOMED CT codes.

Loaded by migration 0002 and, in tests, again after a transactional test empties the table.
"""

# (SNOMED CT concept id, name, usual appointment length in minutes)
TEST_TYPES = [
    ("26604007", "Full blood count", 5),
    ("43396009", "HbA1c (haemoglobin A1c)", 5),
    ("16254007", "Lipid panel", 5),
    ("26958001", "Liver function tests", 5),
    ("29303009", "Electrocardiogram (ECG)", 15),
    ("127783003", "Spirometry", 30),
    ("45036003", "Abdominal ultrasound", 20),
    ("399208008", "Chest X-ray", 10),
    ("40701008", "Echocardiogram", 45),
]


def test_types_load(model) -> None:
    """Create the test types that are missing; leaves existing ones (and their names) alone."""
    existing = set(model.objects.values_list("code", flat=True))
    model.objects.bulk_create(
        [
            model(code=code, name=name, sample_minutes=minutes)
            for code, name, minutes in TEST_TYPES
            if code not in existing
        ]
    )
