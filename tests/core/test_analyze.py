"""Planner statistics after bulk writes (core.db.analyze): seed_demo and every PTL import
ANALYZE the tables they wrote, the import only once it has committed (PostgreSQL only). On
tables never analysed a GP queue filtered to P4 was planned for 1 row and took 22.5 s."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.csvimport import ImportRejected
from core.db import analyze
from tests.conftest import require
from tests.factories import PracticeFactory, TrustFactory, UserFactory, synthetic_nhs_number
from triage.services.imports import PTL_COLUMNS, referral_import_csv

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres():
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")


def analyze_count(table: str) -> int:
    with connection.cursor() as cursor:
        # The statistics views are a snapshot per transaction: take a fresh one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def ptl_file(tmp_path, *, rows: int, valid: bool = True) -> str:
    practice = PracticeFactory(ods_code="F84001")
    TrustFactory(ods_code="R1H", icb=practice.icb)
    path = tmp_path / "ptl.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PTL_COLUMNS)
        writer.writeheader()
        for n in range(rows):
            writer.writerow(
                {
                    "ubrn": f"{100000000000 + n:012d}",
                    "nhs_number": synthetic_nhs_number(n) if valid else "123",
                    "family_name": f"Family{n}",
                    "given_name": f"Given{n}",
                    "date_of_birth": "1950-06-01",
                    "registered_practice": "F84001",
                    "provider": "R1H",
                    "treatment_function": "110",
                    "priority": "routine",
                    "clock_start": (timezone.localdate() - timedelta(days=30 + n)).isoformat(),
                    "category": "",
                    "reason": f"Knee pain {n}",
                }
            )
    return str(path)


def importer():
    return UserFactory(username="ptl.importer", role="admin", organisation=None)


def test_analyze_updates_the_statistics_of_the_tables_named():
    before = analyze_count("triage_referral")

    analyze(["triage_referral"])

    assert analyze_count("triage_referral") == before + 1


def test_import_analyzes_the_tables_it_wrote(tmp_path):
    path = ptl_file(tmp_path, rows=5)
    before = {t: analyze_count(t) for t in ("triage_referral", "directory_patient")}

    referral_import_csv(path=path, actor=importer())

    assert {t: analyze_count(t) for t in before} == {t: n + 1 for t, n in before.items()}


def test_rejected_import_analyzes_nothing(tmp_path):
    path = ptl_file(tmp_path, rows=3, valid=False)
    before = analyze_count("triage_referral")

    with pytest.raises(ImportRejected):
        referral_import_csv(path=path, actor=importer())

    assert analyze_count("triage_referral") == before


def test_seed_demo_analyzes_what_it_loaded():
    before = analyze_count("triage_referral")

    call_command("seed_demo", referrals=20, no_progress=True, stdout=io.StringIO())

    assert analyze_count("triage_referral") > before
