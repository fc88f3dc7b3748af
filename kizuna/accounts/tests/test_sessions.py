"""A sign-in ends after the idle timeout or the absolute lifetime; "sign out everywhere" ends them all."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from kizuna.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT


def _shift(client, **moves):
    session = client.session
    for key, delta in moves.items():
        session[key] = session[key] - int(delta.total_seconds())
    session.save()


def test_a_session_idle_longer_than_the_timeout_is_signed_out(cast, signed_in, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client = signed_in(cast.rep_a1)
    _shift(client, kizuna_last_seen_at=timedelta(minutes=31))
    response = client.get("/me/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.get("/me/").status_code == 302  # the session is gone, not only this page


def test_a_session_used_within_the_timeout_stays(cast, signed_in, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client = signed_in(cast.rep_a1)
    _shift(client, kizuna_last_seen_at=timedelta(minutes=29), kizuna_signed_in_at=timedelta(minutes=29))
    assert client.get("/me/").status_code == 200
    assert timezone.now().timestamp() - client.session[LAST_SEEN_AT] < 5  # the visit moved the clock


def test_a_session_older_than_the_absolute_lifetime_ends_even_if_busy(cast, signed_in, settings):
    settings.SESSION_ABSOLUTE_LIFETIME_HOURS = 8
    client = signed_in(cast.rep_a1)
    _shift(client, kizuna_signed_in_at=timedelta(hours=8, minutes=1))
    response = client.get("/me/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_signing_in_starts_both_clocks(cast, client):
    assert client.login(email=cast.rep_a1.email, password="kizuna-demo")
    assert SIGNED_IN_AT in client.session and LAST_SEEN_AT in client.session


def test_sign_out_everywhere_ends_the_persons_other_sessions_and_tokens(cast, signed_in):
    from kizuna.api.models import ApiToken
    from kizuna.api.services import api_token_create
    from kizuna.audit.models import AuditEntry
    from kizuna.ops.trail import Action

    phone, laptop = Client(), Client()
    phone.force_login(cast.manager_a)
    laptop.force_login(cast.manager_a)
    other = Client()
    other.force_login(cast.rep_a1)
    api_token_create(user=cast.manager_a, name="CRM", created_by=cast.admin)

    response = phone.post("/me/sign-out-everywhere/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert laptop.get("/me/").status_code == 302  # signed out there too
    assert phone.get("/me/").status_code == 302
    assert other.get("/me/").status_code == 200  # someone else's session stays
    assert not ApiToken.objects.filter(user=cast.manager_a, revoked_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action=Action.SESSIONS_END, actor=cast.manager_a).exists()
    # The password still works: signing in again starts a new, valid session.
    assert laptop.login(email=cast.manager_a.email, password="kizuna-demo")
    assert laptop.get("/me/").status_code == 200


def test_sign_out_everywhere_answers_only_to_a_post(cast, signed_in):
    assert signed_in(cast.rep_a1).get("/me/sign-out-everywhere/").status_code == 405


def test_the_profile_offers_second_factors_and_sign_out_everywhere(cast, signed_in):
    page = signed_in(cast.rep_a1).get("/me/").content.decode()
    assert 'href="/accounts/2fa/"' in page and 'action="/me/sign-out-everywhere/"' in page


def test_a_person_who_leaves_loses_the_sessions_servers_read_from_the_shared_cache(cast, settings):
    """A server's engine (cached_db) keeps a copy of each session in the shared cache: leaving deletes it too."""
    from importlib import import_module

    from django.contrib.sessions.models import Session

    from kizuna.accounts.sessions import account_departure

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    phone = Client()
    phone.force_login(cast.rep_a1)
    other = Client()
    other.force_login(cast.rep_a2)
    key = phone.cookies[settings.SESSION_COOKIE_NAME].value
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert store(session_key=key).exists(key)

    account_departure(user=cast.rep_a1, left=True)

    assert not Session.objects.filter(session_key=key).exists()
    assert store(session_key=key).load() == {}  # neither in the cache nor in the database
    assert dict(store(session_key=other.cookies[settings.SESSION_COOKIE_NAME].value).load())  # others stay
