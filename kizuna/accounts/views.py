"""A person's own account: accepting an invitation and their profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import services, signin_rules
from .forms import ProfileForm
from .selectors import invitation_user
from .sessions import sessions_end_all


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def invitation_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = invitation_user(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/invitation_invalid.html")
    refusal = signin_rules.password_refusal(user.email)
    if refusal:
        # Their organization signs in only through its identity provider: no password to set.
        messages.info(request, refusal)
        return redirect("account_login")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="kizuna.accounts.backends.MembershipModelBackend")
        messages.success(request, _("Your password is set. Welcome to Kizuna!"))
        return redirect("/")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitee": user})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={"name": user.name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, name=form.cleaned_data["name"], language=form.cleaned_data["language"])
        except services.AccountError as e:
            form.add_error(None, str(e))
        else:
            language = user.language or translation.get_language_from_request(request)
            translation.activate(language)
            messages.success(request, _("Your profile is saved."))
            response = redirect("accounts:profile")
            # The choice also holds on the sign-in page after signing out.
            if user.language:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    user.language,
                    max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            else:
                response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
            return response
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the person, this one included, and revoke the API tokens issued for them."""
    sessions_end_all(user=request.user)
    logout(request)
    messages.success(request, _("You are signed out on every device. Sign in again here."))
    return redirect("account_login")


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The operators' admin signs in through Kizuna's own sign-in page, never with a form of its own.

    Django's admin login would take a password alone: no second factor, and a password even where the
    person's organization requires single sign-on. Sending it to allauth's page applies every rule there.
    """
    target = request.GET.get("next", "")
    if not target.startswith("/django-admin/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/django-admin/"
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
