"""The alerts app's API under /api/v1/."""
