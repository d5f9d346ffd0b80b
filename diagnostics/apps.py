from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Diagnostics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register, explicitly, the relationship a diagnostic request creates with the
        directory's access rule (the requester and the booked hub see the patient) and the
        sweep that raises alerts for results left unacknowledged (docs/product.md §1, §3)."""
        from core.sweeps import register_sweep
        from diagnostics.selectors.access import booking_patient_rule
        from diagnostics.services.alerts import result_alerts_sweep
        from directory.access import register_patient_rule

        register_patient_rule(booking_patient_rule)
        register_sweep("diagnostics.result_alerts", result_alerts_sweep)
        register_pages()


def register_pages() -> None:
    """The pages' contributions: navigation entries, home page cards, and the "Tests and
    results" sections of the patient page and of the referral page (core.sections)."""
    from core.home import register_home_section
    from core.navigation import register_navigation
    from core.sections import register_record_section
    from diagnostics.web.home import diagnostics_home
    from diagnostics.web.navigation import diagnostics_navigation
    from diagnostics.web.sections import patient_tests_section, referral_tests_section
    from directory.patient_sections import register_patient_section

    register_navigation(diagnostics_navigation)
    register_home_section(diagnostics_home)
    register_patient_section(patient_tests_section)
    register_record_section("triage.referral", referral_tests_section)
