"""The dashboards app's API under /api/v1/."""
