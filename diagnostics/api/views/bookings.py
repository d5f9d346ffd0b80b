"""Bookings: request and book, read one, move, cancel, attendance, and the hub's result."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.web import api_context
from core.api import require, validated
from diagnostics import permissions, selectors, services
from diagnostics.api import serializers as s
from diagnostics.api.views.shared import audit_read
from diagnostics.models import Booking
from directory.api.shared import RecordActionApi

TAGS = ["diagnostics"]
CONFLICT = {409: s.DiagnosticsConflictOutputSerializer}


@extend_schema(
    tags=TAGS,
    summary="Request a test and book it into a slot (409 if the slot is full)",
    request=s.BookingCreateInputSerializer,
    responses={201: s.BookingOutputSerializer, **CONFLICT},
)
class BookingCreateApi(APIView):
    def post(self, request):
        require(permissions.can_book(request.user))
        data = validated(request, s.BookingCreateInputSerializer)
        booking = services.booking_create(
            actor=request.user,
            context=api_context(request),
            patient=data["nhs_number"],
            test_type=data["test_type"],
            slot=data["slot"],
            reason=data["reason"],
            referral=data["referral"],
        )
        booking = selectors.bookings_visible_to(request.user).get(pk=booking.pk)
        return Response(s.BookingOutputSerializer(booking).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=TAGS,
    summary="One booking (404 without a relationship with the patient)",
    responses=s.BookingOutputSerializer,
)
class BookingDetailApi(APIView):
    def get(self, request, booking_id):
        booking = selectors.booking_for_action(request.user, booking_id, "view")
        audit_read(request, [booking], action=AuditAction.VIEW)
        return Response(s.BookingOutputSerializer(booking).data)


class BookingActionApi(RecordActionApi):
    """A POST on one booking or result the caller may see: 404 without a relationship, 403 when
    the caller may see it but not do this, 400 with field errors, 409 on a conflict."""

    output_serializer_class = s.BookingOutputSerializer

    def fetch(self, request, booking_id) -> Booking:
        return selectors.booking_for_action(request.user, booking_id, self.action)


@extend_schema(
    tags=TAGS,
    summary="Move the booking to another slot for the same test (requester or hub staff)",
    request=s.BookingMoveInputSerializer,
    responses={200: s.BookingOutputSerializer, **CONFLICT},
)
class BookingMoveApi(BookingActionApi):
    action = "move"
    input_serializer_class = s.BookingMoveInputSerializer

    def perform(self, *, record, actor, context, slot):
        return services.booking_move(actor=actor, context=context, booking=record, slot=slot)


@extend_schema(
    tags=TAGS,
    summary="Cancel the booking, freeing its place (requester or hub staff)",
    request=None,
    responses={200: s.BookingOutputSerializer, **CONFLICT},
)
class BookingCancelApi(BookingActionApi):
    action = "cancel"

    def perform(self, *, record, actor, context):
        return services.booking_cancel(actor=actor, context=context, booking=record)


@extend_schema(
    tags=TAGS,
    summary="Record attendance or a did-not-attend, once the slot has started (hub staff)",
    request=s.AttendanceInputSerializer,
    responses={200: s.BookingOutputSerializer, **CONFLICT},
)
class BookingAttendanceApi(BookingActionApi):
    action = "attendance"
    input_serializer_class = s.AttendanceInputSerializer

    def perform(self, *, record, actor, context, attended):
        return services.attendance_record(
            actor=actor, context=context, booking=record, attended=attended
        )


@extend_schema(
    tags=TAGS,
    summary="Record the test's result, once the slot has started (hub staff)",
    request=s.ResultInputSerializer,
    responses={201: s.ResultOutputSerializer, **CONFLICT},
)
class BookingResultApi(BookingActionApi):
    action = "result"
    input_serializer_class = s.ResultInputSerializer
    output_serializer_class = s.ResultOutputSerializer
    success_status = status.HTTP_201_CREATED

    def perform(self, *, record, actor, context, **data):
        result = services.result_record(actor=actor, context=context, booking=record, **data)
        return selectors.results_visible_to(actor).get(pk=result.pk)
