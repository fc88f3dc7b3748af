"""Open Badges 2.0: the hosted issuer, badge class and assertion documents, their stable URLs and revocation."""

import hashlib

from django.urls import reverse

from kizuna.gamification.models import BadgeAward
from kizuna.gamification.services import badge_revoke
from kizuna.records import services as records


def _earn(cast, article_course):
    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    return BadgeAward.objects.select_related("badge").get(user=cast.rep_a1, badge__slug="first-course")


def test_the_issuer_profile_is_public_json_ld(cast, client):
    response = client.get(reverse("gamification:ob_issuer"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    data = response.json()
    assert data["@context"] == "https://w3id.org/openbadges/v2"
    assert data["type"] == "Issuer"
    assert data["id"].endswith(reverse("gamification:ob_issuer"))
    assert data["name"] == cast.principal.name


def test_a_badge_class_names_its_issuer_image_and_criteria(cast, client, article_course):
    award = _earn(cast, article_course)
    data = client.get(reverse("gamification:ob_badge_class", args=[award.badge.slug])).json()
    assert data["type"] == "BadgeClass"
    assert data["id"].endswith(f"/openbadges/badges/{award.badge.slug}.json")
    assert data["issuer"].endswith(reverse("gamification:ob_issuer"))
    assert data["name"] == "はじめての修了" and data["criteria"]["narrative"]
    image = client.get(data["image"].split("testserver", 1)[-1].replace("http://127.0.0.1:8000", ""))
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"


def test_an_assertion_is_hosted_with_a_hashed_recipient(cast, client, article_course, settings):
    award = _earn(cast, article_course)
    response = client.get(reverse("gamification:ob_assertion", args=[award.assertion]))
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "Assertion"
    assert data["verification"] == {"type": "hosted"}
    assert data["id"] == settings.SITE_URL + reverse("gamification:ob_assertion", args=[award.assertion])
    assert data["badge"].endswith(f"/openbadges/badges/{award.badge.slug}.json")
    recipient = data["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    expected = hashlib.sha256((cast.rep_a1.email + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    assert cast.rep_a1.email not in response.content.decode()
    assert "revoked" not in data


def test_a_revoked_assertion_says_so_with_its_reason(cast, client, article_course):
    award = _earn(cast, article_course)
    badge_revoke(award=award, by=cast.admin, reason="受講記録の誤りのため")
    response = client.get(reverse("gamification:ob_assertion", args=[award.assertion]))
    assert response.status_code == 410
    data = response.json()
    assert data["revoked"] is True
    assert data["revocationReason"] == "受講記録の誤りのため"


def test_an_unknown_assertion_is_not_found(client, db):
    assert client.get("/openbadges/assertions/00000000-0000-0000-0000-000000000000.json").status_code == 404
