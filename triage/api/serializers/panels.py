"""Review panels: set-up, bulk assignment, members and invitations (docs/product.md §2)."""

from __future__ import annotations

from rest_framework import serializers

from directory.models import User
from triage.api.serializers.fields import OdsCodeField, TreatmentFunctionField
from triage.models import MembershipStatus


class PanelCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    provider = OdsCodeField()
    treatment_function = TreatmentFunctionField()
    members = serializers.ListField(
        child=serializers.UUIDField(), allow_empty=False, help_text="Ids of the member users."
    )

    def validate_members(self, value):
        users = list(User.objects.filter(uuid__in=value).select_related("organisation"))
        missing = sorted({str(v) for v in value} - {str(u.uuid) for u in users})
        if missing:
            raise serializers.ValidationError(f"No user with id {', '.join(missing)}.")
        return users


class PanelAssignInputSerializer(serializers.Serializer):
    """Either a list of referral ids, or queue filters choosing the referrals."""

    referrals = serializers.ListField(child=serializers.UUIDField(), required=False)
    filters = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="Queue filters: provider, treatment_function, category, breached, reviewed.",
    )

    def validate(self, attrs):
        if ("referrals" in attrs) == ("filters" in attrs):
            raise serializers.ValidationError(
                {"referrals": ["Give either referrals or filters, not both or neither."]}
            )
        return attrs


class PanelMemberOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="user.uuid")
    name = serializers.CharField(source="user.display_name")
    role = serializers.CharField(source="user.role")
    organisation = serializers.CharField(source="user.organisation.ods_code", default=None)
    returning_clinician = serializers.BooleanField(source="user.is_returning_clinician")


class PanelInviteeOutputSerializer(PanelMemberOutputSerializer):
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    invited_at = serializers.DateTimeField(source="joined_at")
    responded_at = serializers.DateTimeField(allow_null=True)


class AcceptedSeatsSerializer(serializers.ListSerializer):
    """The seats of a panel's ``memberships`` that are accepted (prefetched by
    ``triage.selectors.panels_visible_to``, so filtered here rather than queried)."""

    accepted = True

    def to_representation(self, data):
        seats = data.all() if hasattr(data, "all") else data
        return super().to_representation(
            [m for m in seats if (m.status == MembershipStatus.ACCEPTED) == self.accepted]
        )


class UnacceptedSeatsSerializer(AcceptedSeatsSerializer):
    """The seats offered and not (or not yet) taken: pending or declined."""

    accepted = False


class PanelOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    provider = serializers.CharField(source="provider.ods_code")
    treatment_function = serializers.CharField(source="treatment_function_id")
    # Who sits on the panel: accepted seats only.
    members = AcceptedSeatsSerializer(child=PanelMemberOutputSerializer(), source="memberships")
    invited = UnacceptedSeatsSerializer(
        child=PanelInviteeOutputSerializer(),
        source="memberships",
        help_text="Clinicians from outside the provider's ICB invited to the panel who have not "
        "accepted (pending or declined): they see none of its patients.",
    )
    created_at = serializers.DateTimeField()


class PanelAssignOutputSerializer(serializers.Serializer):
    assigned = serializers.IntegerField(help_text="How many referrals moved to the panel.")


class PanelInvitationOutputSerializer(serializers.Serializer):
    """A seat on a panel offered to the caller (docs/triage.md, Panels)."""

    panel = serializers.UUIDField(source="panel.uuid", help_text="The panel's id.")
    name = serializers.CharField(source="panel.name")
    provider = serializers.CharField(source="panel.provider.ods_code", help_text="ODS code")
    provider_name = serializers.CharField(source="panel.provider.name")
    treatment_function = serializers.CharField(source="panel.treatment_function_id")
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    invited_at = serializers.DateTimeField(source="joined_at")
    responded_at = serializers.DateTimeField(allow_null=True)
