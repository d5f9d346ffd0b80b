from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "prescribing"
    verbose_name = "Prescribing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register, explicitly, the relationships prescriptions and shared care agreements
        create with the directory's access rule (docs/product.md §1), prescribing's navigation
        entry, home cards and patient-page section, and the budget alerts sweep."""
        from core.home import register_home_section
        from core.navigation import register_navigation
        from core.sweeps import register_sweep
        from directory.access import register_patient_rule
        from directory.patient_sections import register_patient_section
        from prescribing.selectors.access import (
            prescription_patient_rule,
            shared_care_patient_rule,
        )
        from prescribing.services.budget_alerts import budget_alerts_sweep
        from prescribing.web.home import prescribing_home
        from prescribing.web.navigation import prescribing_navigation
        from prescribing.web.patient_section import prescribing_section

        register_patient_rule(prescription_patient_rule)
        register_patient_rule(shared_care_patient_rule)
        register_navigation(prescribing_navigation)
        register_home_section(prescribing_home)
        register_patient_section(prescribing_section)
        register_sweep("prescribing.budget_alerts", budget_alerts_sweep)
