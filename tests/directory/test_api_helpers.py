"""The API pieces every clinical app shares: ``core.api.require`` and ``validated``, and
``directory.api.shared``'s audited reads, audited lists and POST-an-action view."""

import pytest
from django.db.models import F
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from audit.models import AuditEvent
from core.api import CursorPagination, require, validated
from directory import selectors
from directory.api.shared import AuditedListMixin, RecordActionApi, audit_read
from directory.models import Patient, Role
from tests.factories import GPFactory, ManagerFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db
requests = APIRequestFactory()


def get_by(user):
    request = requests.get("/", REMOTE_ADDR="192.0.2.7")
    request.user = user
    return request


def shown(*patients) -> list[dict]:
    return [{"patient_id": p.pk, "uuid": p.uuid} for p in patients]


def test_require_refuses_with_the_default_message():
    with pytest.raises(PermissionDenied) as refused:
        require(False)
    assert str(refused.value.detail) == "You cannot do this."


def test_require_refuses_with_the_message_given():
    with pytest.raises(PermissionDenied) as refused:
        require(False, "You cannot do this to this record.")
    assert str(refused.value.detail) == "You cannot do this to this record."


def test_require_lets_an_allowed_caller_through():
    assert require(True) is None


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=10)


def test_validated_answers_400_naming_the_field():
    request = requests.post("/", {"note": "x" * 11}, format="json")
    with pytest.raises(ValidationError) as invalid:
        validated(Request(request, parsers=[JSONParser()]), NoteInputSerializer)
    assert set(invalid.value.detail) == {"note"}


def test_audit_read_writes_one_event_per_record_for_a_clinician():
    gp = GPFactory()
    first, second = PatientFactory(), PatientFactory()
    audit_read(get_by(gp), shown(first, second), action="view", object_type="referral")
    events = AuditEvent.objects.order_by("id")
    assert [(e.patient_id, e.object_id) for e in events] == [
        (first.pk, str(first.uuid)),
        (second.pk, str(second.uuid)),
    ]
    assert {(e.user_id, e.action, e.object_type, e.client, e.ip_address) for e in events} == {
        (gp.pk, "view", "referral", "api", "192.0.2.7")
    }


def test_audit_read_writes_nothing_for_a_manager():
    audit_read(get_by(ManagerFactory()), shown(PatientFactory()), action="list", object_type="x")
    assert not AuditEvent.objects.exists()


def test_audit_read_writes_nothing_for_an_administrator():
    admin = UserFactory(role=Role.ADMIN)
    audit_read(get_by(admin), shown(PatientFactory()), action="list", object_type="x")
    assert not AuditEvent.objects.exists()


class PatientRowSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    scope = serializers.SerializerMethodField()

    def get_scope(self, row) -> str | None:
        return self.context["pseudonym_scope"]


class PatientPagination(CursorPagination):
    ordering = ("id",)


class PatientRowListApi(AuditedListMixin, ListAPIView):
    serializer_class = PatientRowSerializer
    pagination_class = PatientPagination
    audit_object_type = "patient"

    def get_queryset(self):
        return Patient.objects.values("id", "uuid", patient_id=F("id"))


def list_as(user, **params):
    request = requests.get("/", params)
    force_authenticate(request, user)
    return PatientRowListApi.as_view()(request)


def test_audited_list_audits_only_the_page_served():
    patients = [PatientFactory() for _ in range(3)]
    response = list_as(GPFactory(), page_size=2)
    assert response.status_code == 200
    assert list(AuditEvent.objects.order_by("id").values_list("patient_id", flat=True)) == [
        p.pk for p in patients[:2]
    ]
    assert set(AuditEvent.objects.values_list("action", "object_type")) == {("list", "patient")}


def test_audited_list_gives_its_serializer_the_callers_pseudonym_scope():
    PatientFactory()
    manager = ManagerFactory()
    response = list_as(manager)
    assert [row["scope"] for row in response.data["results"]] == [
        selectors.pseudonym_scope_for(manager)
    ]
    assert not AuditEvent.objects.exists()


class PatientOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")


class PatientNoteApi(RecordActionApi):
    """A test action: note something on a patient the caller may see."""

    action = "note"
    input_serializer_class = NoteInputSerializer
    output_serializer_class = PatientOutputSerializer
    success_status = status.HTTP_201_CREATED
    performed: list

    def fetch(self, request, patient_id):
        return selectors.patient_get_for_user(user=request.user, patient_uuid=patient_id)

    def perform(self, *, record, actor, context, **data):
        self.performed.append({"record": record, "actor": actor, "context": context, **data})
        return record


def post_as(user, patient, body, view=PatientNoteApi):
    view.performed = []
    request = requests.post("/", body, format="json", REMOTE_ADDR="192.0.2.9")
    force_authenticate(request, user)
    return view.as_view()(request, patient_id=patient.uuid)


def test_action_answers_400_naming_the_field_and_performs_nothing():
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    response = post_as(gp, patient, {"note": "x" * 11})
    assert response.status_code == 400
    assert set(response.data) == {"note"}
    assert PatientNoteApi.performed == []


def test_action_answers_404_for_an_unseen_record_before_reading_the_input():
    response = post_as(GPFactory(), PatientFactory(), {"note": "x" * 11})
    assert response.status_code == 404
    assert PatientNoteApi.performed == []


def test_action_performs_with_the_input_as_keywords_and_answers_with_its_result():
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    response = post_as(gp, patient, {"note": "seen"})
    assert response.status_code == 201
    assert response.data == {"id": str(patient.uuid)}
    [done] = PatientNoteApi.performed
    assert (done["record"], done["actor"], done["note"]) == (patient, gp, "seen")
    assert (done["context"].client, done["context"].ip_address) == ("api", "192.0.2.9")


class PatientTouchApi(PatientNoteApi):
    input_serializer_class = None


def test_action_without_an_input_serializer_reads_no_body():
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    response = post_as(gp, patient, ["not", "a", "dictionary"], view=PatientTouchApi)
    assert response.status_code == 201
    [done] = PatientTouchApi.performed
    assert set(done) == {"record", "actor", "context"}
