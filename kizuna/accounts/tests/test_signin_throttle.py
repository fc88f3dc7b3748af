"""Sign-in limits: wrong passwords slow the next try down per e-mail+address, address and account, in the
cache every process shares; the real person and a whole office behind one address still get in."""

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import PASSWORD, make_person
from kizuna.accounts import signin_throttle

ATTACKER = "198.51.100.9"
HOME = "203.0.113.5"
OFFICE = "203.0.113.7"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(signin_throttle, "_now", lambda: now[0])
    return now


@pytest.fixture
def production_limits(settings):
    """allauth's limits exactly as deployed (the test settings switch them off)."""
    settings.ACCOUNT_RATE_LIMITS = importlib.import_module("kizuna.settings").ACCOUNT_RATE_LIMITS


def sign_in(client, email, password, address):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address)


def test_each_wrong_password_doubles_the_wait_from_the_third_up_to_fifteen_minutes(clock):
    waits = []
    for _ in range(12):
        signin_throttle.failure_record(email="rep1@partner-a.example", address=ATTACKER)
        waits.append(signin_throttle.wait_seconds(email="rep1@partner-a.example", address=ATTACKER))
    assert waits == [0, 0, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]


def test_the_wait_runs_out_with_time(clock):
    for _ in range(4):
        signin_throttle.failure_record(email="rep1@partner-a.example", address=ATTACKER)
    assert signin_throttle.wait_seconds(email="rep1@partner-a.example", address=ATTACKER) == 16
    clock[0] += 10
    assert signin_throttle.wait_seconds(email="rep1@partner-a.example", address=ATTACKER) == 6
    clock[0] += 6
    assert signin_throttle.wait_seconds(email="rep1@partner-a.example", address=ATTACKER) == 0


def test_the_e_mail_counts_whatever_its_case(clock):
    for _ in range(3):
        signin_throttle.failure_record(email="Rep1@Partner-A.example ", address=ATTACKER)
    assert signin_throttle.wait_seconds(email="rep1@partner-a.example", address=ATTACKER) == 8


def test_a_slowed_attempt_is_refused_even_with_the_right_password_and_says_how_long_to_wait(cast, client, clock):
    for _ in range(3):
        assert sign_in(client, cast.rep_a1.email, "wrong-password", ATTACKER).status_code == 200
    response = sign_in(client, cast.rep_a1.email, PASSWORD, ATTACKER)
    assert "_auth_user_id" not in client.session
    assert "8秒後にもう一度お試しください" in response.content.decode()


def test_the_wait_message_is_in_english_for_english_browsers(cast, client, clock):
    for _ in range(9):
        signin_throttle.failure_record(email=cast.rep_a1.email, address=ATTACKER)
    response = client.post(
        "/accounts/login/",
        {"login": cast.rep_a1.email, "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Please wait 9 minutes and try again, or reset your password by e-mail." in response.content.decode()


def test_the_real_person_signs_in_from_another_address_while_an_attacker_hammers(cast, client, clock):
    for _ in range(50):
        sign_in(client, cast.rep_a1.email, "guess", ATTACKER)
        clock[0] += 1
    assert signin_throttle.wait_seconds(email=cast.rep_a1.email, address=ATTACKER) > 0
    response = sign_in(client, cast.rep_a1.email, PASSWORD, HOME)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == cast.rep_a1.pk


def test_an_attacker_on_many_addresses_slows_new_browsers_but_not_the_persons_own(cast, client, clock):
    sign_in(client, cast.rep_a1.email, PASSWORD, HOME)  # this browser gets its device cookie
    device = client.cookies[signin_throttle.DEVICE_COOKIE].value
    client.logout()
    for n in range(30):
        signin_throttle.failure_record(email=cast.rep_a1.email, address=f"192.0.2.{n}")
    assert signin_throttle.wait_seconds(email=cast.rep_a1.email, address="203.0.113.99") > 0

    client.cookies.clear()
    assert sign_in(client, cast.rep_a1.email, PASSWORD, "203.0.113.99").status_code == 200  # new browser waits
    client.cookies[signin_throttle.DEVICE_COOKIE] = device
    assert sign_in(client, cast.rep_a1.email, PASSWORD, "203.0.113.99").status_code == 302


def test_a_device_cookie_for_someone_else_does_not_skip_the_account_limit(cast, client, clock):
    client.cookies[signin_throttle.DEVICE_COOKIE] = signin_throttle.device_cookie_value(user_id=cast.rep_a2.pk)
    for n in range(30):
        signin_throttle.failure_record(email=cast.rep_a1.email, address=f"192.0.2.{n}")
    assert sign_in(client, cast.rep_a1.email, PASSWORD, HOME).status_code == 200


def test_a_correct_password_starts_the_count_again_for_that_address(cast, client, clock):
    for _ in range(2):
        sign_in(client, cast.rep_a1.email, "typo", HOME)
    assert sign_in(client, cast.rep_a1.email, PASSWORD, HOME).status_code == 302
    assert signin_throttle.failures(email=cast.rep_a1.email, address=HOME)["pair"] == 0


def test_a_password_reset_by_e_mail_lifts_the_account_wide_wait(cast, client, clock):
    for n in range(30):
        signin_throttle.failure_record(email=cast.rep_a1.email, address=f"192.0.2.{n}")
    client.post("/accounts/password/reset/", {"email": cast.rep_a1.email})
    from django.core import mail

    link = next(word for word in mail.outbox[0].body.split() if "/accounts/password/reset/key/" in word)
    response = client.get(link, follow=True)
    client.post(response.redirect_chain[-1][0], {"password1": "a-new-long-pass-1", "password2": "a-new-long-pass-1"})
    assert signin_throttle.failures(email=cast.rep_a1.email, address=HOME)["account"] == 0
    client.cookies.clear()
    client.logout()
    assert sign_in(client, cast.rep_a1.email, "a-new-long-pass-1", HOME).status_code == 302


def test_two_hundred_reps_behind_one_office_address_all_sign_in_within_a_minute(cast, production_limits, clock):
    from django.test import Client

    reps = [make_person(f"office{n}@partner-a.example", f"営業 {n}", cast.partner_a, "rep") for n in range(200)]
    started = time.monotonic()
    signed_in = 0
    for n, rep in enumerate(reps):
        client = Client()
        if n % 10 == 0:  # one in ten mistypes first
            assert sign_in(client, rep.email, "typo", OFFICE).status_code == 200
        if sign_in(client, rep.email, PASSWORD, OFFICE).status_code == 302:
            signed_in += 1
    assert signed_in == 200
    assert time.monotonic() - started < 60


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_count_through_the_database_cache(settings, clock):
    # The embedded default's shared cache (the database), whatever REDIS_URL says in this run.
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "kizuna.ops.dbcache.DatabaseCache", "LOCATION": "kizuna_cache", "KEY_PREFIX": "kizuna"},
    }
    call_command("createcachetable", verbosity=0)
    for _ in range(3):
        signin_throttle.failure_record(email="rep1@partner-a.example", address=ATTACKER)

    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SQLITE_PATH"}}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env.pop("REDIS_URL", None)
    script = (
        "from kizuna.accounts import signin_throttle as t;"
        f"print(t.failures(email='rep1@partner-a.example', address='{ATTACKER}')['pair']);"
        f"t.failure_record(email='rep1@partner-a.example', address='{ATTACKER}')"
    )
    other = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert other.stdout.strip().splitlines()[-1] == "3"
    assert signin_throttle.failures(email="rep1@partner-a.example", address=ATTACKER)["pair"] == 4
