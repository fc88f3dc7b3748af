"""The tests that only read the demo (and check that a second run of a seed adds nothing) share one demo seed.

The demo is loaded once for this package, with the settings every test has (conftest.settings_for_tests: tasks at
once, the fast hasher, its own files and cache), inside a transaction rolled back after the package's last test; each
test runs inside a savepoint of its own within it (the `demo` fixture), so tests cannot disturb one another and no
demo row outlives the package. Under pytest-xdist (`-n 2`, the default
`--dist load`) the package's tests are consecutive in the collection and are sent in consecutive chunks, so each
process that gets a run of them seeds once (one or two seeds in all, instead of one per test). The modules also carry `xdist_group("demo")`: with pytest 9.2 and pytest-xdist 3.8 `--dist
loadgroup` does not group them yet (the group is not added to the test ids), so it is not switched on.

Any test added here must request `demo` (never `transactional_db` or `live_server`: those would empty the tables
under the shared transaction) and carry the module's pytestmark.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from conftest import settings_for_tests


@dataclass(frozen=True)
class Demo:
    output: str  # what `demo_seed --no-video` printed
    now: datetime  # a moment just after the seed finished


@pytest.fixture(scope="package")
def seeded(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        override_settings(**settings_for_tests(folder)),
        translation.override(settings.LANGUAGE_CODE),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("demo_seed", "--no-video", stdout=out)
        yield Demo(output=out.getvalue(), now=timezone.now())
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded: Demo, db: Any) -> Demo:
    """The seeded demo; this test's changes are rolled back after it (a savepoint in the package's transaction)."""
    return seeded
