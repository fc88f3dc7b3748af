"""Every certification and incentive page renders for the people who may open it, in Japanese and English."""

import pytest

from kizuna.certification import webhooks

from .helpers import finish_course, product_certification


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_pages_render(cast, article_course, signed_in, language):
    cert = product_certification(cast, article_course, validity_days=365)
    endpoint, _secret = webhooks.webhook_endpoint_create(
        url="http://127.0.0.1:9/x", events=["entitlement.granted"], created_by=cast.admin
    )
    finish_course(cast.rep_a1, article_course)
    pages = {
        cast.admin: [
            "/certifications/",
            "/certifications/new/",
            f"/certifications/{cert.pk}/",
            f"/certifications/{cert.pk}/edit/",
            f"/certifications/{cert.pk}/requirements/",
            f"/certifications/{cert.pk}/reopen/",
            "/certifications/entitlements/",
            f"/certifications/partners/{cast.partner_a.pk}/",
            "/settings/webhooks/",
            f"/settings/webhooks/{endpoint.pk}/",
            "/incentives/",
            f"/incentives/partners/{cast.partner_a.pk}/",
            f"/incentives/partners/{cast.partner_a.pk}/rules/",
        ],
        cast.coach: ["/certifications/", f"/certifications/{cert.pk}/", "/incentives/"],
        cast.manager_a: [
            "/certifications/",
            f"/certifications/{cert.pk}/",
            f"/incentives/partners/{cast.partner_a.pk}/",
        ],
        cast.rep_a1: ["/certifications/", f"/certifications/{cert.pk}/"],
    }
    for person, urls in pages.items():
        person.language = language
        person.save(update_fields=["language"])
        client = signed_in(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (person.email, url)
    page = signed_in(cast.rep_a1).get(f"/certifications/{cert.pk}/").content.decode()
    assert ("Certified on" in page) if language == "en" else ("に認定" in page)
