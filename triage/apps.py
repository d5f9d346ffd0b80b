from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the relationships a referral creates with the directory's access rule,
        # the triage entries of the navigation and the patient page's referrals section.
        from triage import navigation, patient_section, selectors  # noqa: F401
