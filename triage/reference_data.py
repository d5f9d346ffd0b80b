"""Reference data: NHS Data Dictionary treatment function codes used in RTT reporting.

Loaded by migration 0002 and, in tests, again after a transactional test empties the tables.
"""

# NHS Data Dictionary, TREATMENT FUNCTION CODE; the specialties NHS England's RTT statistics
# report one by one (the rest fall under "Other").
TREATMENT_FUNCTIONS = [
    ("100", "General Surgery"),
    ("101", "Urology"),
    ("110", "Trauma and Orthopaedics"),
    ("120", "Ear Nose and Throat"),
    ("130", "Ophthalmology"),
    ("140", "Oral Surgery"),
    ("150", "Neurosurgical"),
    ("160", "Plastic Surgery"),
    ("170", "Cardiothoracic Surgery"),
    ("300", "General Internal Medicine"),
    ("301", "Gastroenterology"),
    ("320", "Cardiology"),
    ("330", "Dermatology"),
    ("340", "Respiratory Medicine"),
    ("400", "Neurology"),
    ("410", "Rheumatology"),
    ("430", "Elderly Medicine"),
    ("502", "Gynaecology"),
]


def treatment_functions_load(model) -> None:
    """Create or rename the treatment functions; ``model`` may be a migration's historical one."""
    for code, name in TREATMENT_FUNCTIONS:
        model.objects.update_or_create(code=code, defaults={"name": name})
