from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kizuna.orgs"
    label = "orgs"

    def ready(self) -> None:
        from kizuna.ops.repcache import watch_content

        from .models import Membership, Organization, PartnerSharing, SharingPolicy, Team
        from .readiness import people_steps, register_setup_check

        # Who is in which agency and team, and what agencies share, decide what reaches a rep.
        watch_content(Organization, Team, Membership, SharingPolicy, PartnerSharing)
        register_setup_check(people_steps)
