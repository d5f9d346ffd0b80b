"""The diagnostics app's pages, mounted at /diagnostics/ (docs/diagnostics.md, Pages)."""

from django.urls import path

from diagnostics.web import views

app_name = "diagnostics"
urlpatterns = [
    path("", views.home, name="home"),
    path("capacity/", views.capacity, name="capacity"),
    path("book/", views.book, name="book"),
    path("bookings/<uuid:booking_id>/", views.booking_detail, name="booking-detail"),
    path(
        "bookings/<uuid:booking_id>/<slug:action>/",
        views.booking_action,
        name="booking-action",
    ),
    path("results/", views.results, name="results"),
    path("results/<uuid:result_id>/", views.result_detail, name="result-detail"),
    path(
        "results/<uuid:result_id>/<slug:action>/",
        views.result_action,
        name="result-action",
    ),
]
