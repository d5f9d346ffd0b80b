"""Audit events cannot be edited or deleted through the app, nor on PostgreSQL at all."""

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory

from audit.models import AuditAction, AuditClient, AuditEvent
from audit.services import AuditContext, audit_record
from tests.factories import AuditEventFactory, GPFactory, PatientFactory, UserFactory


@pytest.mark.django_db
def test_admin_offers_no_change_or_delete_of_audit_events():
    admin_user = UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = site._registry[AuditEvent]
    event = AuditEventFactory()
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert not model_admin.has_add_permission(request)


def test_postgres_refuses_to_update_an_audit_event(postgres):
    event = AuditEventFactory()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="tampered")


def test_postgres_refuses_to_delete_an_audit_event(postgres):
    event = AuditEventFactory()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
def test_a_patient_with_audit_events_cannot_be_deleted():
    event = AuditEventFactory()
    with pytest.raises(ProtectedError):
        event.patient.delete()


@pytest.mark.django_db
def test_a_user_with_audit_events_cannot_be_deleted():
    event = AuditEventFactory()
    with pytest.raises(ProtectedError):
        event.user.delete()


def test_postgres_an_audited_read_takes_no_lock_on_the_patient_rows_it_names(postgres):
    # A foreign-key check would lock each patient row (FOR KEY SHARE), a write per row read.
    patients = PatientFactory.create_batch(3)
    reader = GPFactory()
    with transaction.atomic():
        audit_record(
            actor=reader,
            context=AuditContext(client=AuditClient.API, ip_address=None, user_agent=""),
            action=AuditAction.LIST,
            object_type="referral",
            patient_ids=[p.pk for p in patients],
        )
        with connection.cursor() as cursor:
            # Deferred checks run now; a row lock shows as the row's xmax.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT COUNT(*) FROM directory_patient WHERE id = ANY(%s) AND xmax <> 0",
                [[p.pk for p in patients]],
            )
            locked_rows = cursor.fetchone()[0]
    assert locked_rows == 0


@pytest.mark.django_db
def test_opening_a_patient_in_the_admin_is_audited(client):
    admin_user = UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    patient = PatientFactory()
    client.force_login(admin_user)
    response = client.get(f"/admin/directory/patient/{patient.pk}/change/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(patient=patient, client="admin", action="view").exists()


@pytest.mark.django_db
def test_patient_search_audits_each_patient_listed(client):
    gp = GPFactory()
    found = PatientFactory(registered_practice=gp.organisation, family_name="Okafor")
    PatientFactory(registered_practice=gp.organisation, family_name="Smith")
    client.force_login(gp)
    client.get("/patients/", {"family_name": "oka"})
    assert list(AuditEvent.objects.values_list("patient_id", "action")) == [(found.pk, "list")]


@pytest.mark.django_db
def test_audit_record_writes_one_event_per_patient_with_the_request_context():
    user = GPFactory()
    first, second = PatientFactory(), PatientFactory()
    context = AuditContext(client=AuditClient.API, ip_address="10.0.0.7", user_agent="curl/8")
    audit_record(
        actor=user,
        context=context,
        action=AuditAction.LIST,
        object_type="referral",
        patient_ids=[first.pk, second.pk],
        object_ids=["r-1", "r-2"],
        detail="queue page",
    )
    events = AuditEvent.objects.order_by("id").values(
        "user_id", "patient_id", "object_id", "action", "client", "object_type",
        "ip_address", "user_agent", "detail",
    )  # fmt: skip
    shared = {
        "user_id": user.pk, "action": "list", "client": "api", "object_type": "referral",
        "ip_address": "10.0.0.7", "user_agent": "curl/8", "detail": "queue page",
    }  # fmt: skip
    assert list(events) == [
        {**shared, "patient_id": first.pk, "object_id": "r-1"},
        {**shared, "patient_id": second.pk, "object_id": "r-2"},
    ]
    assert AuditEvent.objects.filter(at__isnull=True).count() == 0
