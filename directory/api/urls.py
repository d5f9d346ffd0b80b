"""Directory API routes under /api/v1/."""

from django.urls import path

from directory.api import pickers, views

urlpatterns = [
    path("patients/", views.PatientListApi.as_view(), name="api-patient-list"),
    path(
        "patients/<uuid:patient_id>/", views.PatientDetailApi.as_view(), name="api-patient-detail"
    ),
    path(
        "organisations/",
        pickers.OrganisationSearchApi.as_view(),
        name="api-organisation-search",
    ),
    path("clinicians/", pickers.ClinicianSearchApi.as_view(), name="api-clinician-search"),
]
