"""The diagnostics app's pages."""
