"""Hostile input is a 400 naming the field, before any lookup, never a 500 (docs/api.md, Errors).

PostgreSQL refuses a NUL in text outright, so each of these used to be a 500 there; on any
database the answer now names the field and nothing is looked up or written.
"""

import base64
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from core.errors import ApplicationError
from core.keyset import keyset_decode, keyset_encode
from core.text import is_free_text
from directory.models import Organisation
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, TrustFactory
from tests.helpers import api_client_for
from triage.models import AdviceRequest, Referral

pytestmark = pytest.mark.django_db
CONTROL_MESSAGE = "Contains a control character (U+0000), which is not allowed here."


@pytest.fixture
def gp():
    return GPFactory()


@pytest.fixture
def new_referral(gp):
    patient = PatientFactory(registered_practice=gp.organisation)
    return {
        "nhs_number": patient.nhs_number,
        "provider": TrustFactory().ods_code,
        "treatment_function": "110",
        "priority": "routine",
        "clock_start": "2026-01-05",
        "ubrn": "123456789012",
        "reason": "Knee pain.",
    }


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# Query strings and paths


def test_nul_in_an_api_query_filter_is_a_400_naming_the_filter(gp):
    response = api_client_for(gp).get("/api/v1/queue/", {"provider": "R1H\x00"})
    assert response.status_code == 400
    assert response.json() == {"provider": [CONTROL_MESSAGE]}


def test_nul_in_a_page_query_filter_is_an_html_400_naming_the_filter(client):
    client.force_login(ConsultantFactory())
    response = client.get("/triage/queue/", {"treatment_function": "110\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "<strong>treatment_function</strong>" in response.content.decode()


def test_a_control_character_in_a_query_parameter_name_is_refused(gp):
    response = api_client_for(gp).get("/api/v1/queue/?pro%01vider=R1H")
    assert response.status_code == 400
    assert list(response.json()) == ["pro\\u0001vider"]


def test_nul_in_the_path_is_a_400_naming_the_path(client):
    response = client.get("/triage/queue%00/")
    assert response.status_code == 400
    assert "<strong>path</strong>" in response.content.decode()


def test_a_tab_in_a_query_value_is_refused_as_it_is_an_identifier(gp):
    response = api_client_for(gp).get("/api/v1/queue/", {"provider": "R1H\t"})
    assert response.status_code == 400
    assert "U+0009" in response.json()["provider"][0]


def test_a_formset_field_counts_as_the_free_text_field_it_names():
    assert is_free_text("events-0-note") and is_free_text("note")
    assert not is_free_text("events-0-provider")


# Headers


def test_nul_token_in_authorization_is_a_400_naming_the_header():
    response = APIClient().get("/api/v1/referrals/", HTTP_AUTHORIZATION="Token \x00")
    assert response.status_code == 400
    assert response.json() == {"Authorization": [CONTROL_MESSAGE]}


def test_nul_in_an_idempotency_key_is_a_400_naming_the_header(gp, new_referral):
    response = api_client_for(gp).post(
        "/api/v1/referrals/", new_referral, format="json", HTTP_IDEMPOTENCY_KEY="k\x00"
    )
    assert response.status_code == 400
    assert response.json() == {"Idempotency-Key": [CONTROL_MESSAGE]}
    assert not Referral.objects.exists()


def test_a_control_character_in_an_htmx_header_is_refused(client):
    client.force_login(ConsultantFactory())
    response = client.get("/triage/queue/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="x\x1by")
    assert response.status_code == 400
    assert "<strong>HX-Target</strong>" in response.content.decode()


# Posted forms


def test_nul_in_a_posted_ods_code_is_refused_before_any_lookup(client, gp):
    patient = PatientFactory(registered_practice=gp.organisation)
    client.force_login(gp)
    response = client.post(
        "/triage/advice/new/",
        {
            "nhs_number": patient.nhs_number,
            "provider": "R1H\x00",
            "treatment_function": "330",
            "question": "Would you see this lesion?",
        },
    )
    assert response.status_code == 400
    assert "<strong>provider</strong>" in response.content.decode()
    assert not AdviceRequest.objects.exists()


def test_line_breaks_and_tabs_are_allowed_in_posted_free_text(client, gp):
    patient = PatientFactory(registered_practice=gp.organisation)
    client.force_login(gp)
    response = client.post(
        "/triage/advice/new/",
        {
            "nhs_number": patient.nhs_number,
            "provider": TrustFactory().ods_code,
            "treatment_function": "330",
            "question": "Would you see this lesion?\r\n\tSize:\t6 mm",
        },
    )
    assert response.status_code == 302
    assert AdviceRequest.objects.get().question.endswith("Size:\t6 mm")


def test_nul_in_posted_free_text_is_refused(gp, new_referral):
    new_referral["reason"] = "Knee\x00pain"
    response = api_client_for(gp).post("/api/v1/referrals/", new_referral)  # multipart
    assert response.status_code == 400
    assert response.json() == {"reason": [CONTROL_MESSAGE]}
    assert not Referral.objects.exists()


def test_form_data_that_cannot_be_read_is_a_400_naming_the_body(client):
    response = client.generic("POST", "/login/", b"x", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "<strong>body</strong>" in response.content.decode()


# JSON bodies


@pytest.mark.parametrize(
    ("field", "value"), [("provider", "R1H\x00"), ("treatment_function", "1\x0010")]
)
def test_nul_in_a_json_identifier_is_a_400_naming_the_field(gp, new_referral, field, value):
    new_referral[field] = value
    response = api_client_for(gp).post("/api/v1/referrals/", new_referral, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [CONTROL_MESSAGE]}
    assert not Referral.objects.exists()


def test_a_line_break_in_a_json_identifier_is_refused(gp, new_referral):
    new_referral["provider"] += "\n"
    response = api_client_for(gp).post("/api/v1/referrals/", new_referral, format="json")
    assert response.status_code == 400
    assert "U+000A" in response.json()["provider"][0]


def test_line_breaks_and_tabs_are_allowed_in_json_free_text(gp, new_referral):
    new_referral["reason"] = "Locking knee.\n\tWorse on stairs."
    response = api_client_for(gp).post("/api/v1/referrals/", new_referral, format="json")
    assert response.status_code == 201, response.content
    assert Referral.objects.get().reason == "Locking knee.\n\tWorse on stairs."


def test_a_control_character_in_a_json_key_is_refused(gp, new_referral):
    new_referral["rea\x00son"] = "x"
    response = api_client_for(gp).post("/api/v1/referrals/", new_referral, format="json")
    assert response.status_code == 400
    assert "rea\\u0000son" in response.json()


def post_raw_json(user, body: str):
    return api_client_for(user).generic(
        "POST", "/api/v1/referrals/", body, content_type="application/json"
    )


def test_json_nested_past_the_stack_is_a_400_parse_error(gp):
    response = post_raw_json(gp, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_json_nested_deeper_than_any_body_we_take_is_a_400(gp):
    nested: object = "x"
    for _ in range(40):
        nested = [nested]
    response = post_raw_json(gp, json.dumps({"reason": nested}))
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_json_infinity_is_a_400_parse_error(gp):
    response = post_raw_json(gp, '{"reason": Infinity}')
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


# Cursors


QUEUE_KEY = [("target_date", date), ("urgency_rank", int)]


@pytest.mark.parametrize(
    "payload",
    [
        '{"k":["2026-01-01",Infinity],"d":"n"}',
        '{"k":["2026-01-01",NaN],"d":"n"}',
        '{"k":["2026-01-01",1e400],"d":"n"}',
        '{"k":["2026-01-01",99999999999999999999999],"d":"n"}',
        '{"k":["2026-01-01","7"],"d":"n"}',
        '{"k":["2026-01-01",true],"d":"n"}',
        '{"k":[20260101,1],"d":"n"}',
        '{"k":"ab","d":"n"}',
        '{"k":["2026-01-01",1],"d":"x"}',
        '["k","d"]',
        "[" * 5000 + "]" * 5000,
        "\udcff",
    ],
)
def test_keyset_decode_refuses_what_it_did_not_encode(payload):
    cursor = base64.urlsafe_b64encode(payload.encode("utf-8", "surrogateescape")).decode()
    with pytest.raises(ApplicationError) as caught:
        keyset_decode(cursor, QUEUE_KEY)
    assert caught.value.field_errors == {"cursor": ["This cursor is not valid."]}


def test_keyset_decode_reads_back_what_it_encoded():
    cursor = keyset_encode([date(2026, 1, 1), 3], "p")
    assert keyset_decode(cursor, QUEUE_KEY) == ([date(2026, 1, 1), 3], "p")


def test_a_queue_cursor_holding_infinity_is_a_400_naming_the_cursor():
    consultant = ConsultantFactory(organisation=TrustFactory())
    cursor = b64('{"k":["2026-01-01",Infinity,"2026-01-01",1],"d":"n"}')
    response = api_client_for(consultant).get("/api/v1/queue/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_nul_cursor_is_a_400_naming_the_cursor(gp):
    response = api_client_for(gp).get("/api/v1/referrals/", {"cursor": "\x00"})
    assert response.status_code == 400
    assert response.json() == {"cursor": [CONTROL_MESSAGE]}


@pytest.mark.parametrize("token", ["p=\x00", "p=not-a-time", "o=inf", "r=x", "o=-1"])
def test_a_tampered_list_cursor_is_a_400_naming_the_cursor(gp, token):
    response = api_client_for(gp).get("/api/v1/referrals/", {"cursor": b64(token)})
    assert response.status_code == 400
    assert response.json()["cursor"] == ["This cursor is not valid."]


# CSV imports (core.csvimport): every problem is a row-and-column message, never a traceback.


ORGANISATIONS = "ods_code,name,kind,icb\nQWE,NHS Test ICB,icb,\n{row}\n"


def import_organisations(tmp_path, data: bytes) -> str:
    path = tmp_path / "organisations.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError) as caught:
        call_command("import_organisations", str(path))
    assert not Organisation.objects.exists()
    return str(caught.value)


def test_import_organisations_names_a_latin1_byte_by_row_and_column(tmp_path):
    data = ORGANISATIONS.format(row="F84001,Caf\u00e9 Surgery,gp_practice,QWE").encode("latin-1")
    message = import_organisations(tmp_path, data)
    assert "row 3, column name: byte 0xE9 is not UTF-8 text" in message


def test_import_organisations_names_a_nul_byte_by_row_and_column(tmp_path):
    data = ORGANISATIONS.format(row="F84\x00001,Surgery,gp_practice,QWE").encode()
    message = import_organisations(tmp_path, data)
    assert "row 3, column ods_code: contains a control character (U+0000)" in message


def test_import_organisations_names_a_value_over_the_field_limit(tmp_path):
    long_name = "x" * 131_073
    data = ORGANISATIONS.format(row=f'F84001,"{long_name}",gp_practice,QWE').encode()
    message = import_organisations(tmp_path, data)
    assert "row 3, column name: a value longer than 131,072 characters" in message
