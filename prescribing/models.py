"""The prescribing app's models."""
