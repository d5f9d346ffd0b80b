"""Prescribing API routes under /api/v1/prescribing/ (docs/product.md §7). Names are
``api-prescribing-<thing>``; ids are UUIDs."""

from django.urls import path

from prescribing.api import views as apis

prescription = "prescriptions/<uuid:prescription_id>/"
agreement = "shared-care/<uuid:agreement_id>/"

urlpatterns = [
    path("budgets/", apis.BudgetListCreateApi.as_view(), name="api-prescribing-budgets"),
    path(
        "budgets/<uuid:budget_id>/",
        apis.BudgetDetailApi.as_view(),
        name="api-prescribing-budget-detail",
    ),
    path(
        "prescriptions/",
        apis.PrescriptionListCreateApi.as_view(),
        name="api-prescribing-prescriptions",
    ),
    path(
        prescription,
        apis.PrescriptionDetailApi.as_view(),
        name="api-prescribing-prescription-detail",
    ),
    path(
        f"{prescription}dispense/",
        apis.PrescriptionDispenseApi.as_view(),
        name="api-prescribing-prescription-dispense",
    ),
    path(
        f"{prescription}cancel/",
        apis.PrescriptionCancelApi.as_view(),
        name="api-prescribing-prescription-cancel",
    ),
    path(
        f"{prescription}fhir/",
        apis.PrescriptionFhirApi.as_view(),
        name="api-prescribing-prescription-fhir",
    ),
    path(
        "shared-care/",
        apis.AgreementListCreateApi.as_view(),
        name="api-prescribing-shared-care",
    ),
    path(
        agreement,
        apis.AgreementDetailApi.as_view(),
        name="api-prescribing-shared-care-detail",
    ),
    path(
        f"{agreement}accept/",
        apis.AgreementAcceptApi.as_view(),
        name="api-prescribing-shared-care-accept",
    ),
    path(
        f"{agreement}decline/",
        apis.AgreementDeclineApi.as_view(),
        name="api-prescribing-shared-care-decline",
    ),
    path(
        f"{agreement}end/",
        apis.AgreementEndApi.as_view(),
        name="api-prescribing-shared-care-end",
    ),
]
