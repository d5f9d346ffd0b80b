"""The diagnostics app's models."""
