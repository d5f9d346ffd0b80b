from django.urls import path

from directory.web import pickers, views

urlpatterns = [
    path("patients/", views.patient_search, name="patient-search"),
    path("patients/<uuid:patient_id>/", views.patient_detail, name="patient-detail"),
    path("pickers/organisations/", pickers.organisation_options, name="picker-organisations"),
    path("pickers/clinicians/", pickers.clinician_options, name="picker-clinicians"),
]
