"""The queue's arms (docs/triage.md, "The queue's arms"): the registered practice copied onto
the existing referrals, in batches of their own short transactions, then an index in queue order
for each relationship that had none, built without locking writers out on PostgreSQL
(CREATE INDEX CONCURRENTLY). Not atomic, so safe on a table of millions of rows in service."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models, transaction
from django.db.models import F, Q

# As triage.models.QUEUE_Q on the day of this migration.
QUEUE_Q = Q(
    status__in=("awaiting_review", "under_review", "advice_requested", "accepted", "booked")
) & Q(deferred=False)
QUEUE_KEY = ["target_date", "urgency_rank", "clock_start", "id"]
BATCH = 50_000


def backfill(apps, schema_editor):
    """The patient's practice onto every referral, a range of ids per transaction."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM triage_referral")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, BATCH):
            with transaction.atomic(using=connection.alias):
                cursor.execute(
                    "UPDATE triage_referral SET registered_practice_id = ("
                    "SELECT p.registered_practice_id FROM directory_patient p "
                    "WHERE p.id = triage_referral.patient_id) "
                    "WHERE id >= %s AND id < %s AND registered_practice_id IS NULL",
                    [start, start + BATCH],
                )


class AddIndexConcurrentlyWherePossible(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL; a plain CREATE INDEX elsewhere (SQLite, in
    development and tests, has no concurrent build)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        schema_editor.remove_index(model, self.index)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("triage", "0011_referral_registered_practice")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, atomic=False),
        AddIndexConcurrentlyWherePossible(
            model_name="referral",
            index=models.Index(
                condition=QUEUE_Q,
                fields=["referring_practice", *QUEUE_KEY],
                name="referral_practice_queue_idx",
            ),
        ),
        AddIndexConcurrentlyWherePossible(
            model_name="referral",
            index=models.Index(
                condition=QUEUE_Q
                & (
                    Q(registered_practice__isnull=False)
                    & ~Q(registered_practice=F("referring_practice"))
                ),
                fields=["registered_practice", *QUEUE_KEY],
                name="referral_registered_queue_idx",
            ),
        ),
        AddIndexConcurrentlyWherePossible(
            model_name="referral",
            index=models.Index(
                condition=QUEUE_Q & Q(panel__isnull=False),
                fields=["panel", *QUEUE_KEY],
                name="referral_panel_queue_idx",
            ),
        ),
    ]
