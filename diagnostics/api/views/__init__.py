"""Diagnostics API (docs/product.md §7). Each view reads through ``diagnostics.selectors`` and
writes through ``diagnostics.services``, so the browser and the API apply the same rules; every
patient-identifiable read is audited here."""

from diagnostics.api.views.bookings import (
    BookingAttendanceApi,
    BookingCancelApi,
    BookingCreateApi,
    BookingDetailApi,
    BookingMoveApi,
    BookingResultApi,
)
from diagnostics.api.views.results import (
    ResultAcceptTransferApi,
    ResultAcknowledgeApi,
    ResultDetailApi,
    ResultFhirApi,
    ResultListApi,
    ResultTransferApi,
)
from diagnostics.api.views.slots import SlotListCreateApi, TestTypeListApi

__all__ = [
    "BookingAttendanceApi",
    "BookingCancelApi",
    "BookingCreateApi",
    "BookingDetailApi",
    "BookingMoveApi",
    "BookingResultApi",
    "ResultAcceptTransferApi",
    "ResultAcknowledgeApi",
    "ResultDetailApi",
    "ResultFhirApi",
    "ResultListApi",
    "ResultTransferApi",
    "SlotListCreateApi",
    "TestTypeListApi",
]
