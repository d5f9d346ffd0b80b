"""The diagnostics app's API under /api/v1/."""
