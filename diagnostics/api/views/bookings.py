"""Bookings: request and book, read one, move, cancel, attendance, and the hub's result."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.web import api_context
from core.api import require, validated
from diagnostics import permissions, selectors, services
from diagnostics.api import serializers as s
from diagnostics.api.views.shared import (
    CONFLICT,
    TAGS,
    RecordActionApi,
    RecordDetailApi,
    action_schema,
)


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
class BookingDetailApi(RecordDetailApi):
    record_for = staticmethod(selectors.booking_for_action)
    output_serializer_class = s.BookingOutputSerializer


class BookingActionApi(RecordActionApi):
    record_for = staticmethod(selectors.booking_for_action)
    record_name = "booking"
    output_serializer_class = s.BookingOutputSerializer


@action_schema("Move the booking to another slot for the same test (requester or hub staff)")
class BookingMoveApi(BookingActionApi):
    action = "move"
    input_serializer_class = s.BookingMoveInputSerializer
    service = staticmethod(services.booking_move)


@action_schema("Cancel the booking, freeing its place (requester or hub staff)")
class BookingCancelApi(BookingActionApi):
    action = "cancel"
    service = staticmethod(services.booking_cancel)


@action_schema("Record attendance or a did-not-attend, once the slot has started (hub staff)")
class BookingAttendanceApi(BookingActionApi):
    action = "attendance"
    input_serializer_class = s.AttendanceInputSerializer
    service = staticmethod(services.attendance_record)


@action_schema("Record the test's result, once the slot has started (hub staff)")
class BookingResultApi(BookingActionApi):
    action = "result"
    input_serializer_class = s.ResultInputSerializer
    output_serializer_class = s.ResultOutputSerializer
    success_status = status.HTTP_201_CREATED

    def perform(self, *, record, actor, context, **data):
        result = services.result_record(actor=actor, context=context, booking=record, **data)
        return selectors.results_visible_to(actor).get(pk=result.pk)
