"""``GET /api/v1/organisations/`` and ``GET /api/v1/clinicians/``: the pickers' server-side
search (docs/api.md). Neither returns patient data, so neither is audited."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from directory import selectors
from directory.models import OrganisationKind


class OrganisationPickOutputSerializer(serializers.Serializer):
    ods_code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)


class ClinicianPickOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")
    organisation = serializers.CharField(source="organisation.ods_code", allow_null=True)
    role = serializers.CharField()


def _results(serializer_class, rows) -> Response:
    # At most PICKER_LIMIT rows, so no cursor: the caller narrows the search instead.
    return Response({"results": serializer_class(rows, many=True).data})


@extend_schema(
    summary="Organisations by name or ODS code (at most 20)",
    parameters=[
        OpenApiParameter("search", str, description="ODS code prefix or words of the name"),
        OpenApiParameter(
            "kind",
            str,
            description="An organisation kind, or `provider` (trusts and community providers)",
        ),
    ],
    responses=OrganisationPickOutputSerializer(many=True),
)
class OrganisationSearchApi(APIView):
    def get(self, request):
        kind = request.query_params.get("kind", "")
        if not selectors.organisation_kind_valid(kind):
            raise ValidationError({"kind": [f"{kind} is not a kind of organisation."]})
        rows = selectors.organisations_search(
            search=request.query_params.get("search", ""), kind=kind
        )
        return _results(OrganisationPickOutputSerializer, rows)


@extend_schema(
    summary="Clinicians by name or username (at most 20), for clinicians",
    parameters=[OpenApiParameter("search", str, description="Words of the name, or a username")],
    responses=ClinicianPickOutputSerializer(many=True),
)
class ClinicianSearchApi(APIView):
    def get(self, request):
        # Clinicians pick colleagues (panel members); nobody else needs the staff list.
        if not request.user.is_clinician:
            raise PermissionDenied("Only clinicians may search for clinicians.")
        rows = selectors.clinicians_search(search=request.query_params.get("search", ""))
        return _results(ClinicianPickOutputSerializer, rows)
