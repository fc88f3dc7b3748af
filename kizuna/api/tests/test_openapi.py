"""The OpenAPI document lists the endpoints; the docs page never loads anything from a CDN."""

import re

from django.test import Client


def test_openapi_lists_the_endpoints(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/me",
        "/api/v1/me/assignments",
        "/api/v1/courses",
        "/api/v1/courses/{course_id}",
        "/api/v1/lessons/{lesson_id}",
        "/api/v1/lessons/{lesson_id}/statements",
        "/api/v1/statements",
        "/api/v1/reports/progress",
    ):
        assert path in paths
    schemes = response.json()["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()


def test_the_docs_page_loads_only_our_own_files(db, settings):
    if "ninja" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "ninja"]
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources)
    # No inline script: every executable <script> has a src (the settings block is JSON data).
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert "style=" not in html
