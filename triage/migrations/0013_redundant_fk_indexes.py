"""The referral event's referral loses the single-column index Django made for it:
referral_event_idx (referral, at) leads with the same column and serves every lookup, and each
event written (two per referral a PTL import creates) pays one index fewer. The constraint
stays; the index is dropped without locking writers out."""

import django.db.models.deletion
from django.db import migrations, models

from core.migration_ops import drop_column_index


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("triage", "0012_queue_arm_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="referralevent",
                    name="referral",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="triage.referral",
                    ),
                ),
            ],
            database_operations=[drop_column_index("triage_referralevent", "referral_id")],
        ),
    ]
