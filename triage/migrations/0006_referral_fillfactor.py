"""Leave room on each page of the referral table so the recomputation's position updates are
HOT (heap-only) updates: no index entries to write, and the table stays its size."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE triage_referral SET (fillfactor = 85)")


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE triage_referral RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("triage", "0005_summary_worklist_counts")]

    operations = [migrations.RunPython(forward, reverse)]
