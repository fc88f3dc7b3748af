from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kizuna.orgs"
    label = "orgs"

    def ready(self) -> None:
        from .readiness import people_steps, register_setup_check

        register_setup_check(people_steps)
