"""The referral's UBRN loses the ``varchar_pattern_ops`` index PostgreSQL had beside its unique
index: it serves only prefix ``LIKE``, which nothing asks of a UBRN (the admin's search is by
equality), and every referral written paid for it (core/migration_ops.py)."""

from django.db import migrations

from core.migration_ops import drop_pattern_index


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("triage", "0013_redundant_fk_indexes")]

    operations = [drop_pattern_index("triage_referral", "ubrn")]
