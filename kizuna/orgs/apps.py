from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kizuna.orgs"
    label = "orgs"

    def ready(self) -> None:
        from kizuna.ops.repcache import watch_content

        from .models import Membership, Organization, PartnerSharing, SharingPolicy, Team

        # Who is in which agency and team, and what agencies share, decide what reaches a rep.
        watch_content(Organization, Team, Membership, SharingPolicy, PartnerSharing)
