"""SAML Single Logout by HTTP-Redirect, signed both ways: leaving Kizuna signs out of the IdP, and the IdP's
sign-out ends the person's Kizuna sessions.

- A SAML sign-in is remembered (`SamlSession`: the IdP's NameID and SessionIndex, Kizuna's session key).
- SP-initiated: when that person signs out of Kizuna (allauth's `/accounts/logout/`), Kizuna signs them out
  and sends them on to the IdP's sign-out URL with a LogoutRequest it signs with its own key for that IdP;
  the IdP answers at `/accounts/saml/<id>/sls/` with a LogoutResponse, accepted only if the IdP signed it and
  it answers the request this browser carried.
- IdP-initiated: the IdP sends a LogoutRequest (the person signed out at the IdP or in another application)
  to the same URL; accepted only if signed by the IdP's certificate, for this URL, not expired and not seen
  before; every Kizuna session of that NameID (and SessionIndex) from this IdP ends, in any browser, and the
  browser goes back to the IdP with a signed LogoutResponse.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from importlib import import_module
from typing import Any
from urllib.parse import urlencode

from allauth.socialaccount.providers.saml.utils import (  # type: ignore[import-untyped]
    build_saml_config,
    prepare_django_request,
)
from django.conf import settings
from django.contrib.auth import logout as django_logout
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from onelogin.saml2.auth import OneLogin_Saml2_Auth  # type: ignore[import-untyped]
from onelogin.saml2.errors import OneLogin_Saml2_Error  # type: ignore[import-untyped]
from onelogin.saml2.logout_request import OneLogin_Saml2_Logout_Request  # type: ignore[import-untyped]

from kizuna.accounts.sessions import absolute_lifetime

from .models import IdentityProvider, SamlSession
from .saml import PENDING_SESSION_KEY, assertion_use
from .selectors import provider_for_app

logger = logging.getLogger(__name__)

# The row of this browser's SAML sign-in, in its session.
SESSION_KEY = "kizuna_saml_session"
# The LogoutRequest this browser carries to the IdP, whose answer it waits for.
LOGOUT_STATE_KEY = "kizuna_saml_logout"
SIGN_OUT_SALT = "kizuna.sso.slo"
SIGN_OUT_MAX_AGE = 300  # seconds between signing out of Kizuna and opening the IdP's sign-out


def slo_url(provider: IdentityProvider) -> str:
    """The IdP's sign-out (Single Logout) URL, or "" when it has none (then only Kizuna's session ends)."""
    return str(((provider.app.settings or {}).get("idp") or {}).get("slo_url") or "")


def saml_session_start(*, request: Any, user: Any, sociallogin: Any) -> None:
    """Remember the IdP's names of a SAML sign-in that just completed, with this browser's session."""
    pending = getattr(request, "kizuna_saml_pending", None) or request.session.get(PENDING_SESSION_KEY)
    request.session.pop(PENDING_SESSION_KEY, None)
    if not pending or pending.get("provider_id") != sociallogin.account.provider or not pending.get("name_id"):
        return
    if not request.session.session_key:
        request.session.save()
    now = timezone.now()
    SamlSession.objects.filter(keep_until__lt=now).delete()
    row = SamlSession.objects.create(
        provider_id=pending["provider_id"][:200],
        user=user,
        session_key=request.session.session_key,
        name_id=pending["name_id"][:1024],
        name_id_format=pending.get("name_id_format", "")[:255],
        name_qualifier=pending.get("name_qualifier", "")[:1024],
        sp_name_qualifier=pending.get("sp_name_qualifier", "")[:1024],
        session_index=pending.get("session_index", "")[:1024],
        keep_until=now + absolute_lifetime(),
    )
    request.session[SESSION_KEY] = row.pk


def sign_out_step(request: Any) -> str | None:
    """Where a person signing out of Kizuna goes next: their IdP's sign-out, if they came from a SAML IdP that has one.

    Called before the session ends, without side effects: the link carries the sign-in, signed and short-lived.
    """
    row_id = request.session.get(SESSION_KEY)
    if not row_id:
        return None
    row = SamlSession.objects.filter(pk=row_id, user_id=request.user.pk).first()
    provider = provider_for_app(row.provider_id) if row is not None else None
    if row is None or provider is None or not provider.is_saml or not slo_url(provider):
        return None
    token = signing.dumps(row.pk, salt=SIGN_OUT_SALT)
    return reverse("sso:saml_sign_out") + "?" + urlencode({"t": token})


def _auth(request: Any, provider: IdentityProvider) -> Any:
    """python3-saml for this IdP, demanding signed sign-out messages (sign-in still needs only a signed assertion)."""
    app_settings = dict(provider.app.settings or {})
    app_settings["advanced"] = {**app_settings.get("advanced", {}), "want_message_signed": True}
    config = build_saml_config(request, app_settings, provider.app.client_id)
    return OneLogin_Saml2_Auth(prepare_django_request(request), config)


@dataclass
class SignOut:
    provider: IdentityProvider
    url: str  # the IdP's sign-out URL with the signed LogoutRequest


def saml_sign_out_start(*, request: Any, token: str) -> SignOut | None:
    """Return where to send a person who just signed out of Kizuna to sign out of their IdP, or None.

    The LogoutRequest's ID is kept in the (new) session: the IdP's answer must carry it.
    """
    try:
        row_id = signing.loads(token, salt=SIGN_OUT_SALT, max_age=SIGN_OUT_MAX_AGE)
    except signing.BadSignature:
        return None
    row = SamlSession.objects.filter(pk=row_id).first()
    provider = provider_for_app(row.provider_id) if row is not None else None
    if row is None or provider is None or not provider.is_saml or not slo_url(provider):
        return None
    auth = _auth(request, provider)
    url = auth.logout(
        return_to="",
        name_id=row.name_id,
        session_index=row.session_index or None,
        nq=row.name_qualifier or None,
        name_id_format=row.name_id_format or None,
        spnq=row.sp_name_qualifier or None,
    )
    request.session[LOGOUT_STATE_KEY] = {"provider_id": row.provider_id, "request_id": auth.get_last_request_id()}
    row.delete()
    return SignOut(provider=provider, url=url)


def saml_logout_confirm(*, request: Any, provider: IdentityProvider) -> bool:
    """Check the IdP's LogoutResponse to the request this browser carried; return whether it is accepted."""
    state = request.session.pop(LOGOUT_STATE_KEY, None) or {}
    if state.get("provider_id") != provider.app.provider_id or not state.get("request_id"):
        logger.warning("SAML LogoutResponse from %s that no sign-out of this browser asked for", provider.pk)
        return False
    auth = _auth(request, provider)
    try:
        auth.process_slo(keep_local_session=True, request_id=state["request_id"])
    except (OneLogin_Saml2_Error, ValueError, TypeError) as err:  # not SAML at all (bad base64, bad XML)
        logger.warning("SAML LogoutResponse from %s refused: %s", provider.pk, err)
        return False
    if auth.get_errors():
        logger.warning("SAML LogoutResponse from %s refused: %s", provider.pk, auth.get_last_error_reason())
        return False
    return True


def _sessions_end(*, request: Any, provider: IdentityProvider, name_id: str, session_indexes: list[str]) -> int:
    """End the Kizuna sessions of a SAML sign-in (this browser's too, if it is one); return how many."""
    rows = SamlSession.objects.filter(provider_id=provider.app.provider_id, name_id=name_id)
    if session_indexes:
        rows = rows.filter(session_index__in=session_indexes)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in rows:
        if request.session.session_key == row.session_key:
            django_logout(request)
        else:
            store(session_key=row.session_key).delete()
        ended += 1
    rows.delete()
    return ended


def saml_logout_request_answer(*, request: Any, provider: IdentityProvider) -> str | None:
    """Check the IdP's LogoutRequest, end the sessions it names; return the URL of the signed answer, or None."""
    auth = _auth(request, provider)
    try:
        answer_url = auth.process_slo(keep_local_session=True)
    except (OneLogin_Saml2_Error, ValueError, TypeError) as err:  # not SAML at all (bad base64, bad XML)
        logger.warning("SAML LogoutRequest from %s refused: %s", provider.pk, err)
        return None
    if auth.get_errors() or not answer_url:
        logger.warning("SAML LogoutRequest from %s refused: %s", provider.pk, auth.get_last_error_reason())
        return None
    xml = auth.get_last_request_xml()
    request_id = OneLogin_Saml2_Logout_Request.get_id(xml)
    not_on_or_after = _not_on_or_after(xml)
    if not assertion_use(
        provider_id=provider.app.provider_id, assertion_id=f"logout:{request_id}", not_on_or_after=not_on_or_after
    ):
        logger.warning("SAML LogoutRequest %s from %s replayed", request_id, provider.pk)
        return None
    name_id = str(OneLogin_Saml2_Logout_Request.get_nameid(xml) or "")
    indexes = [str(i) for i in OneLogin_Saml2_Logout_Request.get_session_indexes(xml)]
    _sessions_end(request=request, provider=provider, name_id=name_id, session_indexes=indexes)
    return str(answer_url)


def _not_on_or_after(xml: str) -> datetime.datetime | None:
    from onelogin.saml2.utils import OneLogin_Saml2_Utils  # type: ignore[import-untyped]
    from onelogin.saml2.xml_utils import OneLogin_Saml2_XML  # type: ignore[import-untyped]

    value = OneLogin_Saml2_XML.to_etree(xml).get("NotOnOrAfter")
    if not value:
        return None
    return datetime.datetime.fromtimestamp(OneLogin_Saml2_Utils.parse_SAML_to_time(value), tz=datetime.UTC)
