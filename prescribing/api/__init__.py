"""The prescribing app's API under /api/v1/."""
