"""Dashboards API routes (docs/product.md §7). Names are ``api-dashboards-<thing>``; ids are UUIDs."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
