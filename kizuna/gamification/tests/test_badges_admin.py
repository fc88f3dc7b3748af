"""The principal defines badges (image checked by its content) and revokes awards; others are refused."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kizuna.gamification.models import Badge, BadgeAward, BadgeRevocation
from kizuna.gamification.services import defaults_ensure
from kizuna.records import services as records
from kizuna.tests.stored_support import fetched


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "#c2185b").save(out, format="PNG")
    return out.getvalue()


def _badge_data(**extra):
    return {
        "slug": "quiz-ace",
        "name_ja": "テスト名人",
        "name_en": "Quiz ace",
        "description_ja": "確認テストで90点以上",
        "description_en": "90 or more on a quiz",
        "criterion": "quiz_score",
        "event_kind": "",
        "amount": "90",
        "color": "#1d4e89",
        "active": "on",
        **extra,
    }


def test_the_admin_adds_a_badge_with_a_png_image(cast, client):
    defaults_ensure()
    client.force_login(cast.admin)
    upload = SimpleUploadedFile("ace.png", _png(), content_type="image/png")
    response = client.post(reverse("gamification:gamification_badge_new"), {**_badge_data(), "image_upload": upload})
    assert response.status_code == 302
    badge = Badge.objects.get(slug="quiz-ace")
    assert badge.image.name.endswith(".png")
    image = fetched(client, reverse("gamification:badge_image", args=["quiz-ace"]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png" and image.body.startswith(b"\x89PNG")


def test_an_image_that_is_not_a_png_is_refused_and_nothing_is_saved(cast, client):
    defaults_ensure()
    client.force_login(cast.admin)
    fake = SimpleUploadedFile("ace.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(reverse("gamification:gamification_badge_new"), {**_badge_data(), "image_upload": fake})
    assert response.status_code == 200
    assert "PNG" in response.content.decode()
    assert not Badge.objects.filter(slug="quiz-ace").exists()


def test_a_count_badge_needs_its_event(cast, client):
    defaults_ensure()
    client.force_login(cast.admin)
    response = client.post(reverse("gamification:gamification_badge_new"), _badge_data(criterion="events"))
    assert response.status_code == 200 and not Badge.objects.filter(slug="quiz-ace").exists()


def test_only_the_admin_edits_badges(cast, client):
    defaults_ensure()
    for person in (cast.coach, cast.author, cast.manager_a, cast.rep_a1):
        client.force_login(person)
        assert client.get(reverse("gamification:gamification_badge_edit", args=["first-course"])).status_code == 404


def test_the_admin_revokes_an_award_with_a_reason(cast, client, article_course):
    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    url = reverse("gamification:gamification_revoke", args=[cast.rep_a1.pk, "first-course"])
    client.force_login(cast.coach)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(cast.admin)
    client.post(url, {"reason": ""})
    assert not BadgeRevocation.objects.exists()
    assert client.post(url, {"reason": "記録の誤り"}).status_code == 302
    award = BadgeAward.objects.get(user=cast.rep_a1)
    assert BadgeRevocation.objects.get(assertion=award.assertion).reason == "記録の誤り"
    client.force_login(cast.rep_a1)
    assert "取り消し済み" in client.get(reverse("gamification:badges"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
