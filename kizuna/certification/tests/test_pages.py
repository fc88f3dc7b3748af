"""The rep sees their progress, the manager their agency's reps, the admin defines; others get 404."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.certification import services
from kizuna.certification.models import Requirement

from .helpers import finish_course, product_certification


def test_a_rep_sees_their_progress_toward_each_requirement(cast, article_course, signed_in):
    cert = product_certification(cast, article_course)
    from kizuna.records.services import lesson_complete

    lesson_complete(rep=cast.rep_a1, lesson=article_course.latest_version.lessons.order_by("position").first())
    client = signed_in(cast.rep_a1)
    page = client.get("/certifications/").content.decode()
    assert "クラウドPro販売認定" in page and "0 / 1" not in page
    detail = client.get(f"/certifications/{cert.pk}/").content.decode()
    assert "製品の基本" in detail and 'value="50"' in detail


def test_the_manager_sees_their_reps_certifications(cast, article_course, signed_in):
    cert = product_certification(cast, article_course)
    finish_course(cast.rep_a1, article_course)
    client = signed_in(cast.manager_a)
    page = client.get("/certifications/").content.decode()
    assert "営業 一子" in page and "営業 二郎" in page and "cert-certified" in page
    assert "営業 B一" not in page
    detail = client.get(f"/certifications/{cert.pk}/").content.decode()
    assert "営業 一子" in detail


def test_the_agency_page_has_a_fixed_number_of_queries(cast, article_course, signed_in):
    product_certification(cast, article_course)
    finish_course(cast.rep_a1, article_course)
    client = signed_in(cast.manager_a)
    client.get("/certifications/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/certifications/")
    baseline = len(queries)
    from conftest import make_person

    for n in range(5):
        make_person(f"extra{n}@partner-a.example", f"追加 {n}", cast.partner_a, "rep", cast.team_a1)
    with CaptureQueriesContext(connection) as queries:
        client.get("/certifications/")
    assert len(queries) == baseline


def test_partner_b_cannot_see_partner_a_agency_or_a_only_certification(cast, article_course, signed_in):
    cert = product_certification(cast, article_course, partners=[cast.partner_a])
    for person in (cast.manager_b, cast.rep_b1):
        client = signed_in(person)
        assert client.get(f"/certifications/{cert.pk}/").status_code == 404
        assert client.get(f"/certifications/partners/{cast.partner_a.pk}/").status_code == 404
    assert signed_in(cast.rep_a1).get(f"/certifications/partners/{cast.partner_a.pk}/").status_code == 404
    assert signed_in(cast.manager_a).get(f"/certifications/{cert.pk}/edit/").status_code == 404


def test_the_admin_defines_a_certification_and_its_requirements(cast, article_course, signed_in):
    client = signed_in(cast.admin)
    services.entitlement_create(code="lead-tier-a", name="リードリストA")
    response = client.post(
        "/certifications/new/",
        {"slug": "adv", "name": "上級認定", "reminder_days": "30", "validity_days": "365"},
    )
    assert response.status_code == 302
    cert_url = response["Location"]
    response = client.post(cert_url + "requirements/", {"kind": "course", "course": str(article_course.pk)})
    assert response.status_code == 302
    assert Requirement.objects.get().course == article_course
    response = client.post(cert_url + "requirements/", {"kind": "quiz", "quiz": ""})
    assert response.status_code == 200 and Requirement.objects.count() == 1
    response = client.post(
        "/certifications/new/", {"slug": "bad", "name": "x", "reminder_days": "400", "validity_days": "30"}
    )
    assert response.status_code == 200
    response = client.post(cert_url + "reopen/", {"requirements": [Requirement.objects.get().pk], "reason": ""})
    assert response.status_code == 200
    response = client.post(cert_url + "reopen/", {"requirements": [Requirement.objects.get().pk], "reason": "新機能"})
    assert response.status_code == 302
