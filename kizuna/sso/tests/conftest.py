"""A real OpenID Connect provider for the SSO tests: panva/oidc-provider (npm) run by node on 127.0.0.1."""

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent / "oidc_provider"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _installed() -> None:
    if (HERE / "node_modules" / "oidc-provider").exists():
        return
    if shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the OpenID provider of the SSO tests")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=300)  # noqa: S607


@pytest.fixture
def oidc_provider() -> Iterator[Callable[..., str]]:
    """Return a function that starts a provider for these clients and accounts and returns its issuer URL."""
    _installed()
    started: list[subprocess.Popen[bytes]] = []

    def start(*, clients: list[dict[str, Any]], accounts: dict[str, dict[str, Any]]) -> str:
        port = _free_port()
        env = {**os.environ, "PORT": str(port), "CLIENTS": json.dumps(clients), "ACCOUNTS": json.dumps(accounts)}
        process = subprocess.Popen(  # noqa: S603
            ["node", str(HERE / "provider.mjs")],  # noqa: S607
            cwd=HERE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stdout.read().decode() if process.stdout else "provider died")
                time.sleep(0.1)
        raise RuntimeError("the OpenID provider did not start")

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
