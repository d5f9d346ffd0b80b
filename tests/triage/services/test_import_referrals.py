"""import_referrals: a PTL extract, all or nothing, errors by row and column, upsert by UBRN."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from core.csvimport import ImportRejected
from directory.models import Patient
from tests.factories import (
    CommunityProviderFactory,
    PracticeFactory,
    TrustFactory,
    UserFactory,
    synthetic_nhs_number,
)
from triage.models import Referral, ReferralEvent
from triage.services.imports import PTL_COLUMNS, PTL_DEFERRED_CONTACT_DAYS, referral_import_csv
from triage.services.imports.staging import RowValidator, _Directory, create_staging, stage_rows

pytestmark = pytest.mark.django_db

IMPORTER = "ptl.importer"


@pytest.fixture(autouse=True)
def importer():
    """The user every import here runs as (``--user``): the actor of its audit events."""
    return UserFactory(username=IMPORTER, role="admin", organisation=None)


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


@pytest.fixture
def directory():
    practice = PracticeFactory(ods_code="F84001")
    PracticeFactory(ods_code="F84002", icb=practice.icb)
    TrustFactory(ods_code="R1H", icb=practice.icb)
    CommunityProviderFactory(ods_code="RWK", icb=practice.icb)
    return practice


def row(n: int, **changes) -> dict[str, str]:
    values = {
        "ubrn": f"{100000000000 + n:012d}",
        "nhs_number": synthetic_nhs_number(n),
        "family_name": f"Family{n}",
        "given_name": f"Given{n}",
        "date_of_birth": "1950-06-01",
        "registered_practice": "F84001",
        "provider": "R1H",
        "treatment_function": "110",
        "priority": "routine",
        "clock_start": days_ago(30 + n),
        "category": "",
        "reason": f"Knee pain {n}",
    }
    values.update(changes)
    return values


def write(tmp_path, rows, *, columns=PTL_COLUMNS, name="ptl.csv") -> str:
    path = tmp_path / name
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def run(path: str, *options: str, user: str | None = IMPORTER) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    as_user = ["--user", user] if user is not None else []
    call_command("import_referrals", path, *as_user, *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> tuple:
    return (
        list(Referral.objects.order_by("ubrn").values()),
        list(Patient.objects.order_by("nhs_number").values()),
        ReferralEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_good_file_imports_whole_with_queue_fields_history_and_audit(directory, tmp_path):
    rows = [row(1), row(2, priority="urgent"), row(3, category="P3", provider="RWK")]
    out, _ = run(write(tmp_path, rows))

    assert "3 referral(s) created, 0 updated, 0 unchanged" in out
    assert Referral.objects.count() == 3 and Patient.objects.count() == 3
    urgent = Referral.objects.get(ubrn=rows[1]["ubrn"])
    assert (urgent.status, urgent.category, urgent.effective_category) == (
        "awaiting_review",
        None,
        "P2",
    )
    assert urgent.target_date == urgent.clock_start + timedelta(days=28)
    assert urgent.position == 1  # the queue was recomputed for the provider
    reviewed = Referral.objects.get(ubrn=rows[2]["ubrn"])
    assert (reviewed.status, reviewed.category, reviewed.provider.ods_code) == (
        "accepted",
        "P3",
        "RWK",
    )
    assert sorted(urgent.events.values_list("kind", flat=True)) == ["clock", "created"]
    assert urgent.events.get(kind="clock").clock_start_after == urgent.clock_start
    audits = AuditEvent.objects.filter(object_type="referral")
    assert audits.count() == 3
    assert set(audits.values_list("client", "action")) == {("command", "create")}
    assert AuditEvent.objects.filter(object_type="patient", action="create").count() == 3


def test_reimporting_the_same_file_changes_nothing_and_keeps_one_copy(directory, tmp_path):
    path = write(tmp_path, [row(1), row(2, category="P5"), row(3, category="P2")])
    run(path)
    before = snapshot()

    out, _ = run(path)

    assert "0 referral(s) created, 0 updated, 3 unchanged" in out
    assert snapshot() == before
    assert Referral.objects.count() == 3


def test_a_changed_row_updates_that_referral_only_with_clock_history(directory, tmp_path):
    run(write(tmp_path, [row(1), row(2)]))
    moved = days_ago(100)

    out, _ = run(write(tmp_path, [row(1), row(2, clock_start=moved)], name="again.csv"))

    assert "0 referral(s) created, 1 updated, 1 unchanged" in out
    referral = Referral.objects.get(ubrn=row(2)["ubrn"])
    assert referral.clock_start.isoformat() == moved
    assert referral.version == 2
    change = referral.events.filter(kind="clock").order_by("id").last()
    assert change.clock_start_after.isoformat() == moved
    assert change.clock_start_before.isoformat() == row(2)["clock_start"]
    assert AuditEvent.objects.filter(object_type="referral", action="update").count() == 1


def test_empty_category_leaves_a_category_recorded_in_interface(directory, tmp_path):
    path = write(tmp_path, [row(1)])
    run(path)
    Referral.objects.update(category="P3", effective_category="P3", urgency_rank=4)

    out, _ = run(path)

    assert "1 unchanged" in out
    assert Referral.objects.get().category == "P3"


def test_nhs_numbers_with_spaces_or_dashes_are_stored_as_digits(directory, tmp_path):
    spaced = synthetic_nhs_number(1)
    spaced = f"{spaced[:3]} {spaced[3:6]} {spaced[6:]}"
    dashed = synthetic_nhs_number(2)
    dashed = f"{dashed[:3]}-{dashed[3:6]}-{dashed[6:]}"
    run(write(tmp_path, [row(1, nhs_number=spaced), row(2, nhs_number=dashed)]))
    assert set(Patient.objects.values_list("nhs_number", flat=True)) == {
        synthetic_nhs_number(1),
        synthetic_nhs_number(2),
    }


def test_one_patient_on_several_rows_is_one_patient(directory, tmp_path):
    run(write(tmp_path, [row(1), row(2, nhs_number=synthetic_nhs_number(1))]))
    assert Patient.objects.count() == 1
    assert Referral.objects.filter(patient__nhs_number=synthetic_nhs_number(1)).count() == 2


@pytest.mark.parametrize("category", ["P5", "P6"])
def test_patient_choosing_to_wait_is_deferred_with_a_contact_date(directory, tmp_path, category):
    path = write(tmp_path, [row(1, category=category)])
    run(path)
    referral = Referral.objects.get()
    assert (referral.status, referral.category, referral.deferred) == (
        "accepted",
        category,
        True,
    )
    assert referral.contact_on == timezone.localdate() + timedelta(days=PTL_DEFERRED_CONTACT_DAYS)
    assert referral.position is None  # shown apart from the queue

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        out, _ = run(path)
    assert "1 unchanged" in out  # a later re-import keeps the contact date already set
    assert Referral.objects.get().contact_on == referral.contact_on


BAD_CELLS = [
    ("ubrn", "", "a UBRN is required"),
    ("ubrn", "12345", "not a UBRN of 12 digits"),
    ("nhs_number", "9434765918", "not a valid NHS number"),
    ("nhs_number", "94347659", "not a valid NHS number"),
    ("nhs_number", "", "an NHS number is required"),
    ("family_name", "", "a name is required"),
    ("given_name", "", "a name is required"),
    ("date_of_birth", "31/02/1950", "not a date"),
    ("date_of_birth", "next tuesday", "not a date"),
    ("date_of_birth", "2999-01-01", "in the future"),
    ("registered_practice", "Z99999", "no organisation with ODS code Z99999"),
    ("registered_practice", "R1H", "R1H is not a GP practice"),
    ("provider", "F84002", "F84002 is not a trust or community provider"),
    ("provider", "RZZ", "no organisation with ODS code RZZ"),
    ("treatment_function", "999", "unknown treatment function code '999'"),
    ("treatment_function", "", "a treatment function code is required"),
    ("priority", "soon", "'soon' is not one of routine, urgent, two_week_wait"),
    ("priority", "", "a priority is required"),
    ("clock_start", "2026-13-01", "not a date"),
    ("clock_start", "", "clock start is required"),
    ("category", "P7", "'P7' is not one of P1a"),
    ("category", "2WW", "2WW is only ever provisional"),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_CELLS)
def test_a_bad_cell_imports_nothing_and_names_row_and_column(
    directory, tmp_path, column, value, message
):
    path = write(tmp_path, [row(1), row(2, **{column: value}), row(3)])
    with pytest.raises(CommandError) as caught:
        run(path)
    assert f"row 3, column {column}: " in str(caught.value)
    assert message in str(caught.value)
    assert not Referral.objects.exists() and not Patient.objects.exists()
    assert not AuditEvent.objects.exists()


def test_clock_start_in_the_future_is_named(directory, tmp_path):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match=r"row 2, column clock_start: clock start .* future"):
        run(write(tmp_path, [row(1, clock_start=tomorrow)]))


def test_duplicate_ubrn_in_the_file_names_the_later_row(directory, tmp_path):
    path = write(tmp_path, [row(1), row(2), row(3, ubrn=row(1)["ubrn"])])
    with pytest.raises(CommandError) as caught:
        run(path)
    assert f"row 4, column ubrn: UBRN {row(1)['ubrn']} appears again (first on row 2)" in str(
        caught.value
    )
    assert not Referral.objects.exists()


def test_one_nhs_number_with_two_dates_of_birth_is_named(directory, tmp_path):
    path = write(
        tmp_path, [row(1), row(2, nhs_number=synthetic_nhs_number(1), date_of_birth="1960-01-01")]
    )
    with pytest.raises(CommandError, match="row 3, column date_of_birth: NHS number"):
        run(path)


def test_every_bad_row_is_named_not_only_the_first(directory, tmp_path):
    path = write(
        tmp_path,
        [row(1, nhs_number="123"), row(2), row(3, provider="XXX", priority="later")],
    )
    with pytest.raises(CommandError) as caught:
        run(path)
    text = str(caught.value)
    assert "3 problem(s)" in text
    for fragment in (
        "row 2, column nhs_number",
        "row 4, column provider",
        "row 4, column priority",
    ):
        assert fragment in text


def test_a_bad_row_after_good_chunks_still_imports_nothing(directory, tmp_path, monkeypatch):
    monkeypatch.setattr("triage.services.imports.staging.CHUNK_ROWS", 5)
    rows = [row(n) for n in range(1, 23)] + [row(23, treatment_function="000")]
    with pytest.raises(CommandError, match="row 24, column treatment_function"):
        run(write(tmp_path, rows))
    assert not Referral.objects.exists() and not Patient.objects.exists()


def test_every_audit_event_of_an_import_names_who_ran_it(directory, tmp_path, importer):
    path = write(tmp_path, [row(1), row(2)])
    run(path)
    run(write(tmp_path, [row(1), row(2, clock_start=days_ago(90))], name="again.csv"))

    events = AuditEvent.objects.values_list("user_id", "client", "object_type", "action")
    assert sorted(events) == sorted(
        [(importer.pk, "command", "patient", "create")] * 2
        + [(importer.pk, "command", "referral", "create")] * 2
        + [(importer.pk, "command", "referral", "update")]
    )


def test_postgres_every_audit_event_of_an_import_names_who_ran_it(
    postgres, directory, tmp_path, importer
):
    run(write(tmp_path, [row(1), row(2), row(3)]))
    assert AuditEvent.objects.count() == 6
    assert set(AuditEvent.objects.values_list("user_id", flat=True)) == {importer.pk}


def test_an_import_without_user_names_the_option(directory, tmp_path):
    with pytest.raises(CommandError, match="--user"):
        run(write(tmp_path, [row(1)]), user=None)
    assert not Referral.objects.exists()


def test_an_import_as_an_unknown_user_names_the_option_and_imports_nothing(directory, tmp_path):
    with pytest.raises(CommandError, match="--user: there is no user 'nobody'"):
        run(write(tmp_path, [row(1)]), user="nobody")
    assert not Referral.objects.exists() and not AuditEvent.objects.exists()


def test_an_import_as_an_inactive_user_is_refused(directory, tmp_path):
    UserFactory(username="left", is_active=False)
    with pytest.raises(CommandError, match="--user: 'left' is not an active user"):
        run(write(tmp_path, [row(1)]), user="left")
    assert not Referral.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(str(tmp_path / "nowhere.csv"))


def test_missing_header_column_is_named(directory, tmp_path):
    columns = [c for c in PTL_COLUMNS if c != "category"]
    with pytest.raises(CommandError, match="row 1, column category: this column is missing"):
        run(write(tmp_path, [row(1)], columns=columns))


def test_progress_goes_to_stderr_and_the_summary_to_stdout(directory, tmp_path):
    out, err = run(write(tmp_path, [row(1), row(2)]))
    assert "Validating rows" in err
    assert "Imported 2 row(s)" in out and "queues recomputed for 1 provider(s)" in out


def test_service_reports_progress_and_counts(directory, tmp_path, importer):
    stages = []
    counts = referral_import_csv(
        path=write(tmp_path, [row(1), row(2)]),
        actor=importer,
        progress=lambda stage, done, total: stages.append((stage, done, total)),
    )
    assert counts["created"] == 2 and counts["patients_created"] == 2
    assert ("validate", 2, 2) in stages and ("recompute", 1, 1) in stages


def test_postgres_copy_upsert_imports_a_thousand_rows_and_reimports_as_no_op(
    postgres, directory, tmp_path, monkeypatch
):
    monkeypatch.setattr("triage.services.imports.staging.CHUNK_ROWS", 300)
    rows = [
        row(n, priority=("routine", "urgent", "two_week_wait")[n % 3], category=("", "P4")[n % 2])
        for n in range(1, 1001)
    ]
    path = write(tmp_path, rows)
    out, _ = run(path)
    assert "1,000 referral(s) created" in out
    assert ReferralEvent.objects.count() == 2000
    before = snapshot()
    out, _ = run(path)
    assert "1,000 unchanged" in out
    assert snapshot() == before


def test_deferred_recompute_is_queued_to_the_worker_after_the_import(
    directory, tmp_path, django_capture_on_commit_callbacks
):
    rows = [row(1), row(2, priority="urgent")]
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run(write(tmp_path, rows), "--defer-recompute")
    assert "queue recomputation queued for 1 provider(s)" in out
    # Tests run tasks in-process, so the queued recomputation has already numbered the queue.
    assert Referral.objects.get(ubrn=rows[1]["ubrn"]).position == 1


# Hostile files: every problem is a row-and-column message, never a traceback, and nothing is
# written.


def assert_rejected_naming(path: str, fragment: str) -> None:
    with pytest.raises(CommandError) as caught:
        run(path)
    assert fragment in str(caught.value)
    assert not Referral.objects.exists() and not Patient.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_latin1_file_names_the_row_and_column_of_the_first_foreign_byte(directory, tmp_path):
    path = tmp_path / "ptl.csv"
    utf8 = Path(write(tmp_path, [row(1), row(2, family_name="Zoë Brontë")])).read_text()
    path.write_bytes(utf8.encode("latin-1"))
    assert_rejected_naming(
        str(path), "row 3, column family_name: byte 0xEB is not UTF-8 text: save the file as"
    )


def test_a_nul_byte_in_a_cell_names_its_row_and_column(directory, tmp_path):
    path = write(tmp_path, [row(1), row(2, reason="Knee\x00pain")])
    assert_rejected_naming(path, "row 3, column reason: contains a control character (U+0000)")


def test_a_nul_byte_in_the_header_names_row_1(directory, tmp_path):
    path = tmp_path / "ptl.csv"
    path.write_text(",".join(PTL_COLUMNS) + ",no\x00te\n")
    assert_rejected_naming(str(path), "row 1, column no\\x00te: contains a control character")


def test_a_value_over_the_csv_field_limit_names_its_row_and_column(directory, tmp_path):
    path = write(tmp_path, [row(1), row(2, reason="x" * 131_073), row(3)])
    assert_rejected_naming(path, "row 3, column reason: a value longer than 131,072 characters")


def test_line_breaks_and_tabs_in_a_reason_are_imported(directory, tmp_path):
    run(write(tmp_path, [row(1, reason="Locking knee.\n\tWorse on stairs.")]))
    assert Referral.objects.get().reason == "Locking knee.\n\tWorse on stairs."


def test_a_clock_start_before_1900_names_the_row_and_column(directory, tmp_path):
    path = write(tmp_path, [row(1, date_of_birth="1900-01-01", clock_start="1899-12-31")])
    assert_rejected_naming(
        path, "row 2, column clock_start: clock start 31 Dec 1899 is before 01 Jan 1900"
    )


def test_a_clock_start_before_the_date_of_birth_names_the_row_and_column(directory, tmp_path):
    path = write(tmp_path, [row(1, date_of_birth="1990-05-02", clock_start="1990-05-01")])
    assert_rejected_naming(
        path,
        "row 2, column clock_start: clock start 01 May 1990 is before the patient's date of "
        "birth (02 May 1990)",
    )


def test_a_clock_start_on_the_date_of_birth_is_imported(directory, tmp_path):
    run(write(tmp_path, [row(1, date_of_birth="2026-01-02", clock_start="2026-01-02")]))
    assert Referral.objects.get().clock_start.isoformat() == "2026-01-02"


def test_postgres_a_nul_byte_never_reaches_copy(postgres, directory, tmp_path):
    path = write(tmp_path, [row(1), row(2, given_name="A\x00")])
    assert_rejected_naming(path, "row 3, column given_name: contains a control character")


def test_postgres_a_row_copy_still_refuses_is_named_not_a_traceback(postgres, directory):
    (staged,) = [RowValidator(_Directory.load(), timezone.localdate()).validate(7, row(1))]
    too_long = (staged[0], "1" * 13, *staged[2:])  # ubrn is varchar(12) in the staging table
    with connection.cursor() as cursor:
        create_staging(cursor)
        with pytest.raises(ImportRejected) as caught:
            stage_rows(cursor, [staged, too_long])
    assert str(caught.value.errors[0]).startswith("row 7, column ubrn: cannot be stored: value")
