from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register, explicitly, the relationships a referral and an advice request create with
        the directory's access rule, triage's navigation entries, the patient page's referrals
        section, the task that recomputes a service's queue after a change, and the sweep that
        carries out the recomputations recorded but not yet done."""
        from core.home import register_home_section
        from core.navigation import register_navigation
        from core.sweeps import register_sweep
        from directory.access import register_patient_rule
        from directory.patient_sections import register_patient_section
        from triage.selectors.access import advice_patient_rule, referral_patient_rule
        from triage.services.queue import (
            queue_recompute_dispatcher_set,
            queue_recompute_requests_sweep,
        )
        from triage.tasks import queue_recompute_provider_task
        from triage.web.home import triage_home
        from triage.web.navigation import triage_navigation
        from triage.web.patient_section import referrals_section

        register_patient_rule(referral_patient_rule)
        register_patient_rule(advice_patient_rule)
        register_navigation(triage_navigation)
        register_home_section(triage_home)
        register_patient_section(referrals_section)
        # Services record a service's recomputation in their transaction and send the Celery
        # task on commit; the sweep does whatever a lost send or a dead worker left undone.
        queue_recompute_dispatcher_set(queue_recompute_provider_task.delay)
        register_sweep("triage.queue_recompute_requests", queue_recompute_requests_sweep)
