"""Reference data: NHS Data Dictionary treatment function codes used in RTT reporting."""

from django.db import migrations

from triage.reference_data import treatment_functions_load


def load(apps, schema_editor):
    treatment_functions_load(apps.get_model("triage", "TreatmentFunction"))


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
