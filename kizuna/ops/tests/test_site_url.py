"""SITE_URL follows the port being served unless it is set, and `serve` warns when it is set to another one."""

import json
import os
import subprocess
import sys
import urllib.request

import pytest
from django.conf import settings

from kizuna.ops.management.commands.serve import child_environment, site_url_mismatch
from kizuna.ops.tests import procs
from kizuna.ops.tests.test_supervisor import serve  # noqa: F401 (the fixture)


def _site_url_of_a_fresh_process(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "kizuna.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_the_default_site_url_follows_the_port_in_the_environment():
    assert _site_url_of_a_fresh_process(PORT="8100") == "http://127.0.0.1:8100"
    assert _site_url_of_a_fresh_process() == "http://127.0.0.1:8000"


def test_a_site_url_that_is_set_wins_over_the_port():
    assert _site_url_of_a_fresh_process(PORT="8100", SITE_URL="https://kizuna.example.com/") == (
        "https://kizuna.example.com"
    )


def test_a_site_url_without_a_scheme_stops_the_start():
    with pytest.raises(subprocess.CalledProcessError) as caught:
        _site_url_of_a_fresh_process(SITE_URL="kizuna.example.com")
    assert "SITE_URL must start with http://" in caught.value.stderr


def test_serve_gives_its_children_the_port_and_a_site_url_that_follows_it():
    env, warning = child_environment("127.0.0.1", 8100, {"LANG": "C.UTF-8"})
    assert env["PORT"] == "8100" and env["SITE_URL"] == "http://127.0.0.1:8100"
    assert warning is None


def test_serve_on_every_interface_links_to_loopback():
    env, _ = child_environment("0.0.0.0", 8100, {})  # noqa: S104
    assert env["SITE_URL"] == "http://127.0.0.1:8100"


def test_serve_warns_when_site_url_points_at_another_port_of_this_machine():
    env, warning = child_environment("127.0.0.1", 8100, {"SITE_URL": "http://localhost:8000"})
    assert env["SITE_URL"] == "http://localhost:8000"
    assert warning and "http://127.0.0.1:8100" in warning and "SITE_URL is http://localhost:8000" in warning


def test_serve_does_not_warn_about_a_public_address_behind_a_proxy():
    assert site_url_mismatch("https://kizuna.example.com", "127.0.0.1", 8000) is None
    assert site_url_mismatch("http://127.0.0.1:8100", "127.0.0.1", 8100) is None
    assert site_url_mismatch("http://127.0.0.1", "127.0.0.1", 8100) is not None  # port 80 implied


@pytest.mark.django_db(transaction=True)
def test_a_served_xapi_iri_points_at_the_port_it_is_served_on(serve):  # noqa: F811
    _process, port, log = serve
    url = f"http://127.0.0.1:{port}/xapi/vocab/verbs/assigned"
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
        term = json.loads(response.read())
    assert term["id"] == url
    assert f"SITE_URL=http://127.0.0.1:{port}" in procs.wait_for(log.read_text, timeout=5, what="log")
