"""Reference data: the SNOMED CT coded test types (docs/product.md §3)."""

from django.db import migrations

from diagnostics.reference_data import test_types_load


def load(apps, schema_editor):
    test_types_load(apps.get_model("diagnostics", "TestType"))


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
