"""What a rep is told about a certification agrees with where they stand in it."""

from django.urls import reverse

from conftest import publish_course
from kizuna.catalog import services as catalog
from kizuna.certification import services
from kizuna.certification.models import Holding
from kizuna.notifications.models import Notification

from .helpers import finish_course, product_certification


def test_a_new_certification_with_several_requirements_tells_nobody_they_were_certified(cast, article_course):
    price = publish_course(
        cast,
        slug="price",
        title="価格の質問",
        lessons=[{"kind": "article", "title": "高いね", "body": "比べている相手を聞く"}],
    )
    finish_course(cast.rep_a1, article_course)  # meets the first requirement only
    cert = services.certification_create(slug="advanced", name="上級提案認定", created_by=cast.admin)
    services.requirements_add(
        certification=cert,
        requirements=[
            {"kind": "course", "label": article_course.title, "course": article_course},
            {"kind": "course", "label": price.title, "course": price},
        ],
    )
    holding = Holding.objects.get(rep=cast.rep_a1, certification=cert)
    assert (holding.status, holding.met, holding.total) == (Holding.Status.IN_PROGRESS, 1, 2)
    assert not Notification.objects.filter(recipient=cast.rep_a1, kind__startswith="certification.").exists()


def test_a_certified_notification_says_the_certification_is_suspended_after_a_reopening(cast, article_course, client):
    cert = product_certification(cast, article_course)
    finish_course(cast.rep_a1, article_course)
    earned = Notification.objects.get(recipient=cast.rep_a1, kind="certification.earned")
    assert (earned.subject_type, earned.subject_id) == (services.NOTIFICATION_SUBJECT, cert.pk)
    client.force_login(cast.rep_a1)
    page = client.get(reverse("notifications:notifications"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "現在:" not in page  # nothing changed since

    catalog.lesson_create(module=article_course.modules.get(), kind="article", title="新機能", body="新しい料金")
    catalog.course_publish(course=article_course, publisher=cast.author)
    services.certification_reopen(
        certification=cert, requirements=[cert.requirements.get()], reason="新料金プラン", reopened_by=cast.admin
    )
    page = client.get(reverse("notifications:notifications"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert page.count("現在: やり直し待ち(停止中)") == 1
    assert "要件 1 件中 0 件達成" in page
