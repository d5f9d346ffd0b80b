from django.urls import path

from audit.web import views

urlpatterns = [
    path("", views.audit_events, name="audit-events"),
]
