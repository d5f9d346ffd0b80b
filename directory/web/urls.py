from django.urls import path

from directory.web import views

urlpatterns = [
    path("patients/", views.patient_search, name="patient-search"),
    path("patients/<uuid:patient_id>/", views.patient_detail, name="patient-detail"),
]
