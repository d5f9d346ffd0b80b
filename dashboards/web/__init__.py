"""The dashboards app's pages."""
