"""Migration triage/0008: seats that existed before invitations are sorted by the same rule
panel_create now applies (docs/triage.md, Panels)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("triage", "0007_referral_service_status_index")]
AFTER = [("triage", "0008_panel_membership_acceptance")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_seats_from_outside_the_providers_icb_become_invitations():
    apps = migrate(BEFORE)
    Organisation = apps.get_model("directory", "Organisation")
    User = apps.get_model("directory", "User")
    ReviewPanel = apps.get_model("triage", "ReviewPanel")
    PanelMembership = apps.get_model("triage", "PanelMembership")
    home, away = (
        Organisation.objects.create(ods_code=code, name=code, kind="icb") for code in ("QH1", "QA1")
    )
    trust = Organisation.objects.create(ods_code="RH1", name="Trust", kind="trust", icb=home)
    local = Organisation.objects.create(
        ods_code="PH001", name="Local", kind="gp_practice", icb=home
    )
    distant = Organisation.objects.create(
        ods_code="PA001", name="Far", kind="gp_practice", icb=away
    )
    panel = ReviewPanel.objects.create(name="Panel", provider=trust, treatment_function_id="110")
    for username, organisation in (("lead", trust), ("near", local), ("far", distant)):
        user = User.objects.create(username=username, role="gp", organisation=organisation)
        PanelMembership.objects.create(panel=panel, user=user)
    try:
        apps = migrate(AFTER)
        seats = dict(
            apps.get_model("triage", "PanelMembership").objects.values_list(
                "user__username", "status"
            )
        )
        assert seats == {"lead": "accepted", "near": "accepted", "far": "pending"}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
