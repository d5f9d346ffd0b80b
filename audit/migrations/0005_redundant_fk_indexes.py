"""The audit event's user and patient lose the single-column indexes Django made for them: the
(patient, -at) and (user, -at) indexes lead with the same columns and serve every lookup,
including the foreign keys' own checks, and each audited request writes its rows through one
index fewer. The constraints stay; the indexes are dropped without locking writers out."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_ops import drop_column_index


def _fk(to: str) -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="audit_events",
        to=to,
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("audit", "0004_chain"),
        ("directory", "0002_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent", name="patient", field=_fk("directory.patient")
                ),
                migrations.AlterField(
                    model_name="auditevent", name="user", field=_fk(settings.AUTH_USER_MODEL)
                ),
            ],
            database_operations=[
                drop_column_index("audit_auditevent", "patient_id"),
                drop_column_index("audit_auditevent", "user_id"),
            ],
        ),
    ]
