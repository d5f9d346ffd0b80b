"""Diagnostics API routes (docs/product.md §7). Names are ``api-diagnostics-<thing>``; ids are UUIDs."""

from django.urls import path

from diagnostics.api import views as apis

booking = "bookings/<uuid:booking_id>/"
result = "results/<uuid:result_id>/"

urlpatterns = [
    path("test-types/", apis.TestTypeListApi.as_view(), name="api-diagnostics-test-types"),
    path("slots/", apis.SlotListCreateApi.as_view(), name="api-diagnostics-slots"),
    path("bookings/", apis.BookingCreateApi.as_view(), name="api-diagnostics-bookings"),
    path(booking, apis.BookingDetailApi.as_view(), name="api-diagnostics-booking-detail"),
    path(f"{booking}move/", apis.BookingMoveApi.as_view(), name="api-diagnostics-booking-move"),
    path(
        f"{booking}cancel/", apis.BookingCancelApi.as_view(), name="api-diagnostics-booking-cancel"
    ),
    path(
        f"{booking}attendance/",
        apis.BookingAttendanceApi.as_view(),
        name="api-diagnostics-booking-attendance",
    ),
    path(
        f"{booking}result/", apis.BookingResultApi.as_view(), name="api-diagnostics-booking-result"
    ),
    path("results/", apis.ResultListApi.as_view(), name="api-diagnostics-results"),
    path(result, apis.ResultDetailApi.as_view(), name="api-diagnostics-result-detail"),
    path(
        f"{result}acknowledge/",
        apis.ResultAcknowledgeApi.as_view(),
        name="api-diagnostics-result-acknowledge",
    ),
    path(
        f"{result}transfer/",
        apis.ResultTransferApi.as_view(),
        name="api-diagnostics-result-transfer",
    ),
    path(
        f"{result}accept-transfer/",
        apis.ResultAcceptTransferApi.as_view(),
        name="api-diagnostics-result-accept-transfer",
    ),
    path(f"{result}fhir/", apis.ResultFhirApi.as_view(), name="api-diagnostics-result-fhir"),
]
