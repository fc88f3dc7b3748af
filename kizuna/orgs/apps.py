from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def _mfa_check(sender: object, request: object, user: object, **kwargs: object) -> None:
    from .security import mfa_check_at_sign_in

    mfa_check_at_sign_in(request=request, user=user)


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
        user_logged_in.connect(_mfa_check, dispatch_uid="kizuna-orgs-mfa-check")
