from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contract obligations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register, explicitly: the relationship a provider's duty to a patient creates, the
        navigation entry, the home page's cards, the patient page's obligations section, the
        subscriber that opens ``result_to_patient`` when diagnostics records a result, and the
        overdue sweep."""
        from contracts.selectors.access import contracts_patient_rule
        from contracts.services.overdue import obligations_overdue_sweep
        from contracts.services.results import result_recorded
        from contracts.web.home import contracts_home
        from contracts.web.navigation import contracts_navigation
        from contracts.web.patient_section import obligations_section
        from core.events import subscribe
        from core.home import register_home_section
        from core.navigation import register_navigation
        from core.sweeps import register_sweep
        from directory.access import register_patient_rule
        from directory.patient_sections import register_patient_section

        register_patient_rule(contracts_patient_rule)
        register_navigation(contracts_navigation)
        register_home_section(contracts_home)
        register_patient_section(obligations_section)
        subscribe("diagnostics.result_recorded", result_recorded)
        register_sweep("contracts.obligations_overdue", obligations_overdue_sweep)
