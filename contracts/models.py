"""The contracts app's models."""
