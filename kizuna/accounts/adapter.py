"""allauth adapter: people are brought in by the principal, never by open sign-up; wrong passwords slow
the next attempt down (``signin_throttle``) instead of locking the account."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from . import signin_rules, signin_throttle


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return _(
            "Too many wrong passwords. Please wait %(seconds)d seconds and try again, or reset your password by e-mail."
        ) % {"seconds": seconds}
    return _(
        "Too many wrong passwords. Please wait %(minutes)d minutes and try again, or reset your password by e-mail."
    ) % {"minutes": (seconds + 59) // 60}


# allauth's messages that only repeat what the next page shows (your own home, the sign-in form): on a phone
# they push the first thing to do below the fold. Messages that confirm an invisible change (a new password)
# stay.
SILENT_MESSAGES = frozenset({"account/messages/logged_in.txt", "account/messages/logged_out.txt"})


class AccountAdapter(DefaultAccountAdapter):
    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        if message_template in SILENT_MESSAGES:
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        # allauth asks before signing the person out: a sign-in from an identity provider goes on to end there.
        if request.user.is_authenticated:
            next_url = signin_rules.sign_out_next(request)
            if next_url:
                return next_url
        return super().get_logout_redirect_url(request)

    def _known_device(self, request: HttpRequest, email: str) -> bool:
        user_id = signin_throttle.device_cookie_user_id(request.COOKIES.get(signin_throttle.DEVICE_COOKIE))
        if user_id is None:
            return False
        from .models import User

        return User.objects.filter(pk=user_id, email__iexact=email.strip()).exists()

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        email = credentials.get("email", "")
        refusal = signin_rules.password_refusal(email)
        if refusal:
            raise forms.ValidationError(refusal, code="sso_required")
        wait = signin_throttle.wait_seconds(
            email=email, address=self.get_client_ip(request), known_device=self._known_device(request, email)
        )
        if wait:
            raise forms.ValidationError(_wait_message(wait), code="signin_slowed")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            signin_throttle.success_record(email=credentials.get("email", ""), address=self.get_client_ip(request))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        signin_throttle.failure_record(email=credentials.get("email", ""), address=self.get_client_ip(request))

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # Called for each of the account's addresses once a password reset by e-mail succeeded.
        super()._delete_login_attempts_cached_email(request, **credentials)
        email = credentials.get("email", "")
        signin_throttle.account_clear(email=email)
        signin_throttle.success_record(email=email, address=self.get_client_ip(request))

    def post_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        # This browser now counts as the person's own: the account-wide limit does not slow it down.
        response.set_cookie(
            signin_throttle.DEVICE_COOKIE,
            signin_throttle.device_cookie_value(user_id=user.pk),
            max_age=signin_throttle.DEVICE_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response
