"""The prescribing app's pages."""
