"""The alerts app's pages."""
