import io

import pytest
from django.core.management import CommandError, call_command

from core.errors import ApplicationError
from directory.models import User
from directory.services import user_create
from tests.factories import PracticeFactory, TrustFactory

pytestmark = pytest.mark.django_db


def test_add_user_reads_the_password_from_stdin(monkeypatch):
    practice = PracticeFactory()
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-Passphrase\n"))
    call_command(
        "add_user",
        "drjones",
        "--role",
        "gp",
        "--organisation",
        practice.ods_code,
        "--password-stdin",
    )
    user = User.objects.get(username="drjones")
    assert (user.role, user.organisation, user.check_password("s3cret-Passphrase")) == (
        "gp",
        practice,
        True,
    )


def test_add_user_refuses_a_role_that_does_not_work_at_the_organisation():
    trust = TrustFactory()
    with pytest.raises(CommandError, match="--organisation: A GP works for a GP practice"):
        call_command("add_user", "drjones", "--role", "gp", "--organisation", trust.ods_code)
    assert not User.objects.filter(username="drjones").exists()


def test_add_user_names_an_unknown_organisation():
    with pytest.raises(CommandError, match="--organisation: no organisation with ODS code ZZZ99"):
        call_command("add_user", "drjones", "--role", "gp", "--organisation", "ZZZ99")


def test_add_user_without_password_leaves_it_unusable():
    call_command(
        "add_user", "drjones", "--role", "gp", "--organisation", PracticeFactory().ods_code
    )
    assert not User.objects.get(username="drjones").has_usable_password()


def test_add_user_refuses_a_common_password_and_names_the_field(monkeypatch):
    practice = PracticeFactory()
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError, match="--password: This password is too common"):
        call_command(
            "add_user",
            "drjones",
            "--role",
            "gp",
            "--organisation",
            practice.ods_code,
            "--password-stdin",
        )
    assert not User.objects.filter(username="drjones").exists()


def test_user_create_refuses_a_password_too_like_the_username():
    with pytest.raises(ApplicationError) as refused:
        user_create(
            username="amara.okafor",
            role="gp",
            organisation=PracticeFactory(),
            password="amara.okafor1",
        )
    assert "too similar to the username" in refused.value.field_errors["password"][0]


def test_role_mismatch_message_reads_an_icb_manager_not_a_icb_manager():
    with pytest.raises(ApplicationError) as refused:
        user_create(username="mgr", role="manager", organisation=TrustFactory())
    assert refused.value.field_errors["organisation"] == [
        "An ICB manager works for an Integrated care board, not a Trust (secondary care)."
    ]
