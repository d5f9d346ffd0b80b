from django.urls import path

from prescribing.web import views

app_name = "prescribing"
urlpatterns = [
    path("budgets/", views.budgets, name="budgets"),
    path("budgets/new/", views.budget_new, name="budget-new"),
    path("budgets/<uuid:budget_id>/", views.budget_detail, name="budget-detail"),
    path("prescriptions/", views.prescriptions, name="prescriptions"),
    path("prescriptions/new/", views.prescription_new, name="prescription-new"),
    path(
        "prescriptions/<uuid:prescription_id>/",
        views.prescription_detail,
        name="prescription-detail",
    ),
    path(
        "prescriptions/<uuid:prescription_id>/<slug:action>/",
        views.prescription_action,
        name="prescription-action",
    ),
    path("shared-care/", views.shared_care, name="shared-care"),
    path("shared-care/new/", views.shared_care_new, name="shared-care-new"),
    path(
        "shared-care/<uuid:agreement_id>/",
        views.shared_care_detail,
        name="shared-care-detail",
    ),
    path(
        "shared-care/<uuid:agreement_id>/<slug:action>/",
        views.shared_care_action,
        name="shared-care-action",
    ),
]
