"""API tokens: hashed at rest, expiring, revoked when the holder's organisation or role changes,
issued by ``drf_create_token`` and listed (never shown) in the admin; and the API's challenge."""

import hashlib
import io
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from directory.models import ApiToken, Role
from directory.services import api_token_issue, user_reassign
from tests.factories import (
    GPFactory,
    PatientFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def gp():
    return GPFactory()


@pytest.fixture
def admin_user():
    return UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)


def test_issued_token_authenticates_the_api(gp):
    patient = PatientFactory(registered_practice=gp.organisation)
    _, key = api_token_issue(user=gp)
    response = token_client(key).get(f"{PATIENTS}{patient.uuid}/")
    assert response.status_code == 200


def test_token_key_is_stored_only_as_its_sha256_hash(gp):
    token, key = api_token_issue(user=gp)
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {str(value) for value in stored.values()}
    assert stored["prefix"] == key[:8]


def test_token_records_the_organisation_and_role_it_was_issued_for(gp):
    token, _ = api_token_issue(user=gp)
    assert (token.organisation, token.role) == (gp.organisation, Role.GP)


def test_token_expires_after_the_configured_days(gp):
    token, _ = api_token_issue(user=gp)
    assert token.expires_at - token.created_at == timedelta(days=settings.API_TOKEN_DAYS)
    assert settings.API_TOKEN_DAYS == 30


def test_expired_token_is_refused_with_401(gp):
    _, key = api_token_issue(user=gp)
    later = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        response = token_client(key).get(PATIENTS)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_token_is_refused_once_the_user_moves_to_another_organisation(gp):
    _, key = api_token_issue(user=gp)
    user_reassign(user=gp, role=gp.role, organisation=PracticeFactory())
    assert token_client(key).get(PATIENTS).status_code == 401


def test_token_is_refused_once_the_users_role_changes():
    user = UserFactory(role=Role.ADMIN, organisation=None)
    _, key = api_token_issue(user=user)
    user_reassign(user=user, role=Role.GP, organisation=PracticeFactory())
    assert token_client(key).get(PATIENTS).status_code == 401


def test_token_stays_revoked_after_the_user_moves_back(gp):
    token, key = api_token_issue(user=gp)
    home = gp.organisation
    user_reassign(user=gp, role=gp.role, organisation=PracticeFactory())
    user_reassign(user=gp, role=gp.role, organisation=home)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_client(key).get(PATIENTS).status_code == 401


def test_token_changed_behind_the_services_back_is_revoked_on_first_use(gp):
    token, key = api_token_issue(user=gp)
    type(gp).objects.filter(pk=gp.pk).update(organisation=PracticeFactory())
    assert token_client(key).get(PATIENTS).status_code == 401
    token.refresh_from_db()
    assert token.revoked_reason == "organisation_or_role_changed"


def test_token_survives_an_unrelated_change_to_the_user(gp):
    _, key = api_token_issue(user=gp)
    gp.first_name = "Changed"
    gp.save()
    assert token_client(key).get(PATIENTS).status_code == 200


def test_token_of_a_deactivated_user_is_refused(gp):
    _, key = api_token_issue(user=gp)
    gp.is_active = False
    gp.save()
    assert token_client(key).get(PATIENTS).status_code == 401


def test_unknown_token_is_refused_with_401():
    assert token_client("0" * 40).get(PATIENTS).status_code == 401


def test_unauthenticated_api_call_gets_401_with_a_token_challenge():
    response = APIClient().get(PATIENTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_signed_in_browser_session_still_reads_the_api(client, gp):
    client.force_login(gp)
    assert client.get(PATIENTS).status_code == 200


def test_session_api_write_without_the_csrf_token_is_refused(gp):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(gp)
    response = client.post("/api/v1/referrals/", {}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_session_api_write_with_the_csrf_token_is_let_through(gp):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(gp)
    client.get("/")  # a page that renders the CSRF token, setting its cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post("/api/v1/referrals/", {}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 400  # past authentication and CSRF, to validation


def test_rest_framework_authtoken_is_not_installed():
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS


# drf_create_token


def test_drf_create_token_prints_a_usable_token(gp):
    out = io.StringIO()
    call_command("drf_create_token", gp.username, stdout=out)
    key = out.getvalue().split()[2]
    assert token_client(key).get(PATIENTS).status_code == 200


def test_drf_create_token_reset_revokes_the_users_earlier_tokens(gp):
    _, old_key = api_token_issue(user=gp)
    out = io.StringIO()
    call_command("drf_create_token", gp.username, "--reset", stdout=out)
    new_key = out.getvalue().split()[2]
    assert token_client(old_key).get(PATIENTS).status_code == 401
    assert token_client(new_key).get(PATIENTS).status_code == 200


def test_drf_create_token_names_an_unknown_user():
    with pytest.raises(CommandError, match="username: no user called nobody"):
        call_command("drf_create_token", "nobody")


def test_drf_create_token_refuses_an_inactive_user(gp):
    gp.is_active = False
    gp.save()
    with pytest.raises(CommandError, match=r"user: .*inactive"):
        call_command("drf_create_token", gp.username)


# Admin


def test_admin_lists_tokens_by_prefix_without_the_key_or_its_hash(client, admin_user, gp):
    token, key = api_token_issue(user=gp)
    client.force_login(admin_user)
    page = client.get("/admin/directory/apitoken/").content.decode()
    assert token.prefix in page
    assert gp.username in page
    assert key not in page
    assert token.key_hash not in page


def test_admin_token_page_never_shows_the_key_or_its_hash(client, admin_user, gp):
    token, key = api_token_issue(user=gp)
    client.force_login(admin_user)
    response = client.get(f"/admin/directory/apitoken/{token.pk}/change/")
    assert response.status_code == 200
    assert key not in response.content.decode()
    assert token.key_hash not in response.content.decode()


def test_admin_revokes_selected_tokens(client, admin_user, gp):
    token, key = api_token_issue(user=gp)
    client.force_login(admin_user)
    response = client.post(
        "/admin/directory/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert (token.revoked_reason, token.revoked_at is not None) == ("revoked", True)
    assert token_client(key).get(PATIENTS).status_code == 401


def test_admin_cannot_add_a_token(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/directory/apitoken/add/").status_code == 403
