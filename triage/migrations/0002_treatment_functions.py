"""Reference data: NHS Data Dictionary treatment function codes used in RTT reporting."""

from django.db import migrations

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


def load(apps, schema_editor):
    TreatmentFunction = apps.get_model("triage", "TreatmentFunction")
    for code, name in TREATMENT_FUNCTIONS:
        TreatmentFunction.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
