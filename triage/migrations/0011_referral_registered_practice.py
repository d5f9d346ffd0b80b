"""The patient's registered practice, copied onto the referral so that a GP's queue is an index
walk in queue order (docs/triage.md, "The queue's arms"), and the triggers that keep the copy in
step whatever writes the rows: the services, the PTL import, the admin or plain SQL.

- A referral inserted without it takes its patient's practice; the PTL import and the demo
  loader name it (from the patient row they have just written), so they pay nothing per row.
- A referral whose patient changes, or whose copy is written empty (a full ``save()`` of an
  instance loaded before the copy was made), takes its patient's practice again.
- A patient who moves practice takes their referrals' copies along (the referral patient
  index finds them).

The column is filled for the existing rows by the next migration, in batches.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL_FORWARD = """
CREATE FUNCTION triage_referral_registered_practice() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT p.registered_practice_id INTO NEW.registered_practice_id
    FROM directory_patient p WHERE p.id = NEW.patient_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER triage_referral_registered_practice_insert
    BEFORE INSERT ON triage_referral FOR EACH ROW
    WHEN (NEW.registered_practice_id IS NULL)
    EXECUTE FUNCTION triage_referral_registered_practice();
CREATE TRIGGER triage_referral_registered_practice_update
    BEFORE UPDATE OF patient_id, registered_practice_id ON triage_referral FOR EACH ROW
    WHEN (NEW.patient_id IS DISTINCT FROM OLD.patient_id OR NEW.registered_practice_id IS NULL)
    EXECUTE FUNCTION triage_referral_registered_practice();
CREATE FUNCTION triage_patient_moves_referrals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE triage_referral SET registered_practice_id = NEW.registered_practice_id
    WHERE patient_id = NEW.id
      AND registered_practice_id IS DISTINCT FROM NEW.registered_practice_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER triage_patient_moves_referrals
    AFTER UPDATE OF registered_practice_id ON directory_patient FOR EACH ROW
    WHEN (NEW.registered_practice_id IS DISTINCT FROM OLD.registered_practice_id)
    EXECUTE FUNCTION triage_patient_moves_referrals();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS triage_patient_moves_referrals ON directory_patient;
DROP FUNCTION IF EXISTS triage_patient_moves_referrals();
DROP TRIGGER IF EXISTS triage_referral_registered_practice_update ON triage_referral;
DROP TRIGGER IF EXISTS triage_referral_registered_practice_insert ON triage_referral;
DROP FUNCTION IF EXISTS triage_referral_registered_practice();
"""
_SQLITE_FROM_PATIENT = (
    "UPDATE triage_referral SET registered_practice_id = (SELECT registered_practice_id "
    "FROM directory_patient WHERE id = NEW.patient_id) WHERE id = NEW.id;"
)
SQLITE_FORWARD = [
    "CREATE TRIGGER triage_referral_registered_practice_insert AFTER INSERT ON triage_referral "
    f"FOR EACH ROW WHEN NEW.registered_practice_id IS NULL BEGIN {_SQLITE_FROM_PATIENT} END",
    "CREATE TRIGGER triage_referral_registered_practice_update "
    "AFTER UPDATE OF patient_id, registered_practice_id ON triage_referral FOR EACH ROW "
    "WHEN NEW.patient_id IS NOT OLD.patient_id OR NEW.registered_practice_id IS NULL "
    f"BEGIN {_SQLITE_FROM_PATIENT} END",
    "CREATE TRIGGER triage_patient_moves_referrals "
    "AFTER UPDATE OF registered_practice_id ON directory_patient FOR EACH ROW "
    "WHEN NEW.registered_practice_id IS NOT OLD.registered_practice_id BEGIN "
    "UPDATE triage_referral SET registered_practice_id = NEW.registered_practice_id "
    "WHERE patient_id = NEW.id; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS triage_patient_moves_referrals",
    "DROP TRIGGER IF EXISTS triage_referral_registered_practice_update",
    "DROP TRIGGER IF EXISTS triage_referral_registered_practice_insert",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_apitoken"),
        ("triage", "0010_summary_needs_action"),
    ]

    operations = [
        # Nullable and without a default: adding it rewrites nothing, however big the table.
        migrations.AddField(
            model_name="referral",
            name="registered_practice",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="directory.organisation",
            ),
        ),
        migrations.RunPython(forward, reverse),
    ]
