"""The contracts app's API under /api/v1/."""
