"""The contracts app's pages."""
