"""The patient's NHS number loses the ``varchar_pattern_ops`` index PostgreSQL had beside its
unique index: it serves only prefix ``LIKE``, which nothing asks of an NHS number, and every
patient written paid for it (core/migration_ops.py)."""

from django.db import migrations

from core.migration_ops import drop_pattern_index


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("directory", "0002_apitoken")]

    operations = [drop_pattern_index("directory_patient", "nhs_number")]
