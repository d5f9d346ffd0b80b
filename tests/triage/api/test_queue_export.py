"""GET /api/v1/queue/?format=csv: the queue as a streamed CSV download, audited as an export."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from audit.models import AuditAction, AuditEvent
from tests.factories import ConsultantFactory, ManagerFactory, PatientFactory, TrustFactory
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory
from tests.triage.manager_surfaces import identifiable_referral, leaked
from triage.api.views import queue as queue_views
from triage.presenters import QUEUE_ROW_COLUMNS

pytestmark = pytest.mark.django_db
URL = "/api/v1/queue/"


@pytest.fixture
def consultant():
    return ConsultantFactory(organisation=TrustFactory())


def download(user, **params):
    response = api_client_for(user).get(URL, {"format": "csv", **params})
    assert response.status_code == 200, response
    return response


def text_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text_of(response))))


def test_export_has_the_queue_api_columns(consultant):
    ReferralFactory(provider=consultant.organisation)
    header = text_of(download(consultant)).splitlines()[0]
    assert header.split(",") == [column.name for column in QUEUE_ROW_COLUMNS]


def test_export_rows_match_the_api_rows(consultant):
    ReferralFactory(provider=consultant.organisation)
    (api_row,) = api_client_for(consultant).get(URL).json()["results"]
    (csv_row,) = rows_of(download(consultant))
    assert csv_row["id"] == api_row["id"]
    assert csv_row["nhs_number"] == api_row["nhs_number"]
    assert csv_row["days_waited"] == str(api_row["days_waited"])
    assert csv_row["breached"] == ("true" if api_row["breached"] else "false")


def test_export_is_a_dated_csv_attachment(consultant):
    response = download(consultant)
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="queue-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.csv"')


def test_export_applies_the_queue_filters(consultant):
    other = TrustFactory()
    kept = ReferralFactory(provider=consultant.organisation)
    ReferralFactory(provider=other)
    consultant_other = ConsultantFactory(organisation=other)
    assert [r["id"] for r in rows_of(download(consultant, provider=kept.provider.ods_code))] == [
        str(kept.uuid)
    ]
    assert rows_of(download(consultant_other, provider=kept.provider.ods_code)) == []


def test_export_refuses_an_invalid_filter_with_400(consultant):
    response = api_client_for(consultant).get(URL, {"format": "csv", "category": "nonsense"})
    assert response.status_code == 400
    assert "category" in response.content.decode()


def test_export_streams_every_row_in_keyset_steps(consultant, monkeypatch):
    monkeypatch.setattr(queue_views, "EXPORT_CHUNK", 2)
    referrals = [ReferralFactory(provider=consultant.organisation) for _ in range(5)]
    response = download(consultant)
    assert isinstance(response, StreamingHttpResponse)
    api_ids = [r["id"] for r in api_client_for(consultant).get(URL).json()["results"]]
    assert [r["id"] for r in rows_of(response)] == api_ids
    assert len(api_ids) == len(referrals)


def test_export_audits_one_export_event_per_row(consultant):
    referrals = [ReferralFactory(provider=consultant.organisation) for _ in range(3)]
    text_of(download(consultant))
    events = AuditEvent.objects.filter(user=consultant, action=AuditAction.EXPORT)
    assert sorted(e.object_id for e in events) == sorted(str(r.uuid) for r in referrals)
    assert {e.patient_id for e in events} == {r.patient_id for r in referrals}


def test_manager_export_is_pseudonymised_and_names_nobody():
    referral = identifiable_referral()
    manager = ManagerFactory(organisation=referral.provider.icb)
    body = text_of(download(manager))
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert row["id"] == str(referral.uuid)
    assert (row["ubrn"], row["nhs_number"]) == ("", "")
    assert leaked(body, referral) == []


def test_manager_export_writes_no_patient_audit_event():
    referral = identifiable_referral()
    manager = ManagerFactory(organisation=referral.provider.icb)
    text_of(download(manager))
    assert not AuditEvent.objects.filter(user=manager, patient__isnull=False).exists()


def test_export_neutralises_formula_cells(consultant):
    patient = PatientFactory(family_name="=HYPERLINK(1)", given_name="+Cmd")
    ReferralFactory(provider=consultant.organisation, patient=patient)
    (row,) = rows_of(download(consultant))
    assert row["patient_name"].startswith("'")
    assert "=HYPERLINK" in row["patient_name"]
