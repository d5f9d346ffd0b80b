"""Triage API serializers: input serializers only parse and look up; output serializers only
present. Writes go through ``triage.services``; reads through ``triage.selectors``. One module a
subject; the views use them as ``triage.api.serializers.<Name>``."""

from triage.api.serializers.fields import (
    OdsCodeField,
    ReferrablePatientField,
    TreatmentFunctionField,
)
from triage.api.serializers.inputs import (
    AdviceConvertInputSerializer,
    AdviceGuidanceInputSerializer,
    AdviceReplyInputSerializer,
    AssignPanelInputSerializer,
    BookInputSerializer,
    CancelInputSerializer,
    HarmReviewInputSerializer,
    ReferralCreateInputSerializer,
    ReviewInputSerializer,
    StopClockInputSerializer,
)
from triage.api.serializers.outputs import (
    AdviceOutputSerializer,
    ConflictOutputSerializer,
    HarmReviewOutputSerializer,
    PatientIdentityMixin,
    PseudonymisingSerializer,
    QueueRowOutputSerializer,
    ReferralDetailOutputSerializer,
    ReferralEventOutputSerializer,
    ReferralOutputSerializer,
    ReviewOutputSerializer,
    pseudonym_scope_of,
)
from triage.api.serializers.panels import (
    PanelAssignInputSerializer,
    PanelAssignOutputSerializer,
    PanelCreateInputSerializer,
    PanelInvitationOutputSerializer,
    PanelInviteeOutputSerializer,
    PanelMemberOutputSerializer,
    PanelOutputSerializer,
)

__all__ = [
    "AdviceConvertInputSerializer",
    "AdviceGuidanceInputSerializer",
    "AdviceOutputSerializer",
    "AdviceReplyInputSerializer",
    "AssignPanelInputSerializer",
    "BookInputSerializer",
    "CancelInputSerializer",
    "ConflictOutputSerializer",
    "HarmReviewInputSerializer",
    "HarmReviewOutputSerializer",
    "OdsCodeField",
    "PanelAssignInputSerializer",
    "PanelAssignOutputSerializer",
    "PanelCreateInputSerializer",
    "PanelInvitationOutputSerializer",
    "PanelInviteeOutputSerializer",
    "PanelMemberOutputSerializer",
    "PanelOutputSerializer",
    "PatientIdentityMixin",
    "PseudonymisingSerializer",
    "QueueRowOutputSerializer",
    "ReferrablePatientField",
    "ReferralCreateInputSerializer",
    "ReferralDetailOutputSerializer",
    "ReferralEventOutputSerializer",
    "ReferralOutputSerializer",
    "ReviewInputSerializer",
    "ReviewOutputSerializer",
    "StopClockInputSerializer",
    "TreatmentFunctionField",
    "pseudonym_scope_of",
]
