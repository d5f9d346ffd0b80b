"""``directory.web.shared.audit_shown``: the audit of the records every clinical app's pages
show, over the same rule as the API's (``directory.services.patient_records_shown``)."""

import pytest
from django.test import RequestFactory

from audit.models import AuditEvent
from directory.web.shared import audit_shown
from tests.factories import GPFactory, ManagerFactory, PatientFactory

pytestmark = pytest.mark.django_db


def page_request_by(user):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9")
    request.user = user
    return request


def test_audit_shown_writes_one_browser_event_per_record_for_a_clinician():
    gp = GPFactory()
    first, second = PatientFactory(), PatientFactory()
    rows = [{"patient_id": p.pk, "uuid": p.uuid} for p in (first, second)]
    audit_shown(page_request_by(gp), rows, action="list", object_type="referral")
    events = AuditEvent.objects.order_by("id")
    assert [(e.patient_id, e.object_id) for e in events] == [
        (first.pk, str(first.uuid)),
        (second.pk, str(second.uuid)),
    ]
    assert {(e.user_id, e.client, e.ip_address) for e in events} == {
        (gp.pk, "browser", "192.0.2.9")
    }


def test_audit_shown_writes_nothing_for_a_manager_shown_pseudonymised_rows():
    patient = PatientFactory()
    rows = [{"patient_id": patient.pk, "uuid": patient.uuid}]
    audit_shown(page_request_by(ManagerFactory()), rows, action="list", object_type="referral")
    assert not AuditEvent.objects.exists()
