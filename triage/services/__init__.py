"""Triage writes. Views, API, tasks, admin and commands all call these."""
