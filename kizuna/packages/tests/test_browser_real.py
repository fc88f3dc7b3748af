"""Real-world packages played in Chromium at 375×667 (run by bench/packages_play.py; skipped without a folder)."""

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import publish_course
from kizuna.packages.models import ScoState
from kizuna.packages.services import package_import
from kizuna.records.models import LessonProgress
from kizuna.tests.browser_support import sign_in

FOLDER = os.environ.get("KIZUNA_REAL_PACKAGES", "")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not FOLDER, reason="set KIZUNA_REAL_PACKAGES to a folder of zips (bench/packages_play.py)"),
]
STEPS = 80


def _content_next(page: Any) -> bool:
    """Press the content's own Next (in the SCO's frame or a frame inside it) if one is enabled."""
    for frame in page.frames[1:]:
        for selector in ("#butNext", "button:has-text('Next')", "input[value='Next']"):
            button = frame.locator(selector)
            if button.count() and button.first.is_visible() and button.first.is_enabled():
                button.first.click()
                page.wait_for_timeout(300)  # the content's page inside its frame loads; nothing of ours to wait for
                return True
    return False


def _play(page: Any, base: str, lesson: Any, package: Any, rep: Any) -> dict[str, Any]:
    delivered, messages = [], []
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    if page.locator("#package-start").count() == 0:
        return {"delivered": [], "messages": ["no Start button"]}
    # Followed rather than clicked: on a long list a floating control of the page may sit over the button.
    page.goto(base + (page.locator("#package-start").get_attribute("href") or ""))
    for _step in range(STEPS):
        page.wait_for_load_state()
        if "/sco/" not in page.url:
            messages += [m.strip() for m in page.locator(".messages li").all_inner_texts()]
            break
        title = page.locator(".package-bar .meta").inner_text()
        if not delivered or delivered[-1] != title:
            delivered.append(title)
        page.wait_for_timeout(500)  # the SCO initializes in its frame
        if _content_next(page):
            continue
        if page.frames[1:] and any(f.locator("input[type=radio]").count() for f in page.frames[1:]):
            messages.append(f"stopped at an assessment: {title}")
            break
        following = page.locator("#package-next")
        if following.count() == 0:
            page.locator("#package-back").click()
            page.wait_for_url(f"**/learn/lessons/{lesson.pk}/")
            messages += [m.strip() for m in page.locator(".messages li").all_inner_texts()]
            break
        following.click()
    states = {
        s.sco.title: f"{s.completion}/{s.success}"
        for s in ScoState.objects.filter(rep=rep, sco__package=package).select_related("sco")
    }
    progress = LessonProgress.objects.filter(user=rep, lesson_id=lesson.pk).first()
    return {
        "delivered": delivered,
        "states": states,
        "lesson_completed": bool(progress and progress.completed_at),
        "messages": messages,
    }


def test_real_packages_play_on_a_phone(cast: Any, live_server: Any, phone: Any) -> None:
    page, base = phone, live_server.url
    page.set_default_timeout(60000)  # a bench on a loaded machine: real packages are heavier than ours
    sign_in(page, base, cast.rep_a1.email)
    page.on("dialog", lambda dialog: dialog.accept())  # the golf samples confirm() before resuming
    results = []
    for number, path in enumerate(sorted(Path(FOLDER).glob("*.zip"))):
        package = package_import(upload=io.BytesIO(path.read_bytes()), author=cast.author)
        course = publish_course(
            cast,
            slug=f"real-{number}",
            title=path.stem[:100],
            lessons=[{"kind": "package", "title": package.title, "content_id": package.pk}],
        )
        lesson = course.latest_version.lessons.get()
        row = {"file": path.name, "sequenced": bool(package.sequencing), "scos": package.scos.count()}
        row.update(_play(page, base, lesson, package, cast.rep_a1))
        results.append(row)
        print(json.dumps(row, ensure_ascii=False))
    if os.environ.get("KIZUNA_REAL_PACKAGES_JSON"):
        Path(os.environ["KIZUNA_REAL_PACKAGES_JSON"]).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    assert results, "no zip in the folder"
