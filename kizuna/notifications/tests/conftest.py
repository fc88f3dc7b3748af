from collections.abc import Iterator
from typing import Any

import pytest
from py_vapid import Vapid02

from kizuna.notifications.push import vapid_private_key_text

from .push_receiver import PushReceiver


@pytest.fixture
def push_receiver(settings: Any) -> Iterator[PushReceiver]:
    """A push service on loopback; the deployment signs with a fresh VAPID key and accepts its http endpoints."""
    key = Vapid02()
    key.generate_keys()
    settings.WEBPUSH_VAPID_PRIVATE_KEY = vapid_private_key_text(key)
    settings.WEBPUSH_ALLOW_HTTP_ENDPOINTS = True
    receiver = PushReceiver()
    yield receiver
    receiver.close()
