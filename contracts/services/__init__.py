"""Contracts writes. Views, the API, the admin, commands, the diagnostics event and the sweep
all call these."""
