"""``breach-reports/`` and ``compliance/`` (docs/product.md §7)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from contracts.models import BreachReport
from tests.contracts.factories import (
    BreachReportFactory,
    DischargeFactory,
    ObligationFactory,
    at_hours_ago,
)
from tests.factories import (
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
    TrustFactory,
)
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db


def report_body(patient, trust, **overrides):
    values = {
        "duty": "prescribing_transfer",
        "provider": trust.ods_code,
        "nhs_number": patient.nhs_number,
        "occurred_on": "2026-01-05",
        "description": "Clinic letter asked us to start a new DOAC.",
    }
    values.update(overrides)
    return values


def test_a_gp_reports_and_gets_201_with_the_letter():
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    response = api_client_for(gp).post(
        reverse("api-contracts-breach-reports"), report_body(patient, TrustFactory()), format="json"
    )
    assert response.status_code == 201, response.content
    assert "SC11.10" in response.json()["letter"]


def test_the_same_report_again_is_200_with_the_first():
    gp = GPFactory()
    patient, trust = PatientFactory(registered_practice=gp.organisation), TrustFactory()
    client, url = api_client_for(gp), reverse("api-contracts-breach-reports")
    first = client.post(url, report_body(patient, trust), format="json")
    again = client.post(url, report_body(patient, trust), format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert BreachReport.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("duty", "discharge_summary"), ("provider", "ZZZ99"), ("occurred_on", "2026-13-01")],
)
def test_bad_input_is_400_naming_the_field(field, value):
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    response = api_client_for(gp).post(
        reverse("api-contracts-breach-reports"),
        report_body(patient, TrustFactory(), **{field: value}),
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()


def test_a_consultant_cannot_report():
    patient = PatientFactory()
    response = api_client_for(ConsultantFactory()).post(
        reverse("api-contracts-breach-reports"), report_body(patient, TrustFactory()), format="json"
    )
    assert response.status_code == 403


def test_the_provider_reads_the_report_but_may_not_edit_its_letter():
    report = BreachReportFactory()
    client = api_client_for(ConsultantFactory(organisation=report.provider))
    url = reverse("api-contracts-breach-report-detail", args=[report.uuid])
    assert client.get(url).json()["letter"] == report.letter
    assert client.patch(url, {"letter": "Ours now."}, format="json").status_code == 403


def test_the_reporting_gp_edits_the_letter():
    report = BreachReportFactory()
    url = reverse("api-contracts-breach-report-detail", args=[report.uuid])
    response = api_client_for(report.reported_by).patch(url, {"letter": "Edited."}, format="json")
    assert response.status_code == 200
    assert response.json()["letter"] == "Edited."


def test_a_manager_lists_no_reports_but_sees_them_counted():
    report = BreachReportFactory()
    manager = api_client_for(ManagerFactory(organisation=report.provider.icb))
    assert manager.get(reverse("api-contracts-breach-reports")).json()["results"] == []
    [row] = manager.get(reverse("api-contracts-compliance")).json()["results"]
    assert (row["provider"], row["breach_reports"]) == (report.provider.ods_code, 1)


def test_compliance_rows_per_provider_and_duty_for_a_manager():
    trust = TrustFactory()
    ObligationFactory(discharge=DischargeFactory(provider=trust, discharged_at=at_hours_ago(30)))
    manager = ManagerFactory(organisation=trust.icb)
    response = api_client_for(manager).get(reverse("api-contracts-compliance"))
    [row] = response.json()["results"]
    assert (row["provider"], row["duty"], row["overdue"], row["on_time_rate"]) == (
        trust.ods_code,
        "discharge_summary",
        1,
        0.0,
    )


def test_compliance_filters_by_provider_and_duty():
    trust, other = TrustFactory(), TrustFactory()
    ObligationFactory(discharge=DischargeFactory(provider=trust))
    ObligationFactory(discharge=DischargeFactory(provider=other))
    admin = api_client_for(ManagerFactory(organisation=trust.icb))
    rows = admin.get(reverse("api-contracts-compliance"), {"provider": trust.ods_code}).json()
    assert [r["provider"] for r in rows["results"]] == [trust.ods_code]
    assert admin.get(reverse("api-contracts-compliance"), {"duty": "fit_note"}).json() == {
        "results": []
    }


def test_an_unknown_duty_filter_is_400():
    response = api_client_for(ManagerFactory()).get(
        reverse("api-contracts-compliance"), {"duty": "x"}
    )
    assert response.status_code == 400
    assert "duty" in response.json()


def test_compliance_as_csv():
    trust = TrustFactory()
    ObligationFactory(discharge=DischargeFactory(provider=trust, discharged_at=at_hours_ago(30)))
    response = api_client_for(ManagerFactory(organisation=trust.icb)).get(
        reverse("api-contracts-compliance"), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["provider"] == trust.ods_code
    assert rows[0]["overdue"] == "1"
    assert rows[0]["on_time_rate"] == "0.0"


def test_weekly_compliance_for_a_manager():
    trust = TrustFactory()
    ObligationFactory(discharge=DischargeFactory(provider=trust, discharged_at=at_hours_ago(30)))
    response = api_client_for(ManagerFactory(organisation=trust.icb)).get(
        reverse("api-contracts-compliance-weekly")
    )
    [row] = response.json()["results"]
    assert row["due"] == 1 and row["week_start"]


def test_diagnostics_staff_are_refused_compliance():
    response = api_client_for(DiagnosticsStaffFactory()).get(reverse("api-contracts-compliance"))
    assert response.status_code == 403
