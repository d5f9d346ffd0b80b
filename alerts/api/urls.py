"""Alerts API routes (docs/product.md §7). Names are ``api-alerts-<thing>``; ids are UUIDs."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
