"""Import and export through the studio, the map image, and the values screen."""

import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kizuna.scenarios import services
from kizuna.scenarios.errors import ScenarioError
from kizuna.scenarios.models import Scenario, ValueTag
from kizuna.scenarios.tests.helpers import tiny_graph


def upload(text, name="scenario.yaml"):
    return SimpleUploadedFile(name, text.encode(), content_type="application/octet-stream")


def test_a_yaml_file_is_imported_as_a_new_draft(cast, signed_in):
    client = signed_in(cast.author)
    response = client.post(
        reverse("scenarios:studio_scenario_import"), {"file": upload(yaml.safe_dump(tiny_graph(), allow_unicode=True))}
    )
    scenario = Scenario.objects.get(slug="tiny")
    assert response["Location"] == reverse("scenarios:studio_scenario", args=[scenario.pk])
    assert scenario.nodes.count() == 4 and scenario.created_by == cast.author


def test_a_bad_file_is_refused_with_every_error_listed_and_nothing_written(cast, signed_in):
    data = tiny_graph()
    data["nodes"][0]["choices"][1]["next"] = "nowhere"
    data["nodes"][0]["choices"][0]["score"] = 99
    data["nodes"][1]["choises"] = []
    data["nodes"].append({"key": "island", "kind": "end", "outcome": "won"})
    response = signed_in(cast.author).post(
        reverse("scenarios:studio_scenario_import"), {"file": upload(json.dumps(data, ensure_ascii=False), "s.json")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-errors"' in page
    assert "nodes[0].choices[0].score" in page  # out of range
    assert "nodes[1].choises" in page  # unknown field
    assert "nowhere" in page  # a choice to a moment that does not exist
    assert "island" in page  # unreachable
    with pytest.raises(ScenarioError) as refused:
        services.scenario_import(data, author=cast.author)
    listed = page[page.index('id="import-errors"') : page.index("</ol>", page.index('id="import-errors"'))]
    assert listed.count("<li>") == len(refused.value.errors) >= 5
    assert not Scenario.objects.exists() and not ValueTag.objects.exists()


def test_a_file_that_is_not_yaml_or_json_is_refused_with_a_message(cast, signed_in):
    response = signed_in(cast.author).post(reverse("scenarios:studio_scenario_import"), {"file": upload("{ not: json")})
    assert 'id="import-errors"' in response.content.decode()
    assert not Scenario.objects.exists()


def test_replacing_a_draft_from_a_file_keeps_its_code_and_versions(cast, signed_in, complaint_version):
    complaint = complaint_version.scenario
    response = signed_in(cast.author).post(
        reverse("scenarios:studio_scenario_import"),
        {"file": upload(yaml.safe_dump(tiny_graph(), allow_unicode=True)), "replace": complaint.pk},
    )
    assert response["Location"] == reverse("scenarios:studio_scenario", args=[complaint.pk])
    complaint.refresh_from_db()
    assert complaint.slug == "complaint-handling" and complaint.nodes.count() == 4
    assert complaint.versions.get() == complaint_version


def test_export_downloads_json_and_yaml_that_import_again(cast, signed_in, complaint):
    client = signed_in(cast.coach)
    response = client.get(reverse("scenarios:studio_scenario_export", args=[complaint.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="complaint-handling.json"' in response["Content-Disposition"]
    exported = json.loads(response.content)
    response = client.get(reverse("scenarios:studio_scenario_export", args=[complaint.pk]) + "?format=yaml")
    assert response["Content-Type"].startswith("application/yaml")
    assert yaml.safe_load(response.content) == exported
    copy = services.scenario_import(response.content, author=cast.coach, slug="copy")
    assert copy.nodes.count() == complaint.nodes.count()


def test_the_map_is_an_svg_image_with_the_problem_moments_in_red(cast, signed_in, complaint):
    from kizuna.scenarios.graphmap import COLOURS

    client = signed_in(cast.author)
    response = client.get(reverse("scenarios:studio_scenario_map", args=[complaint.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert COLOURS["error"][0] not in svg
    services.node_delete(node=complaint.nodes.get(key="manual-sent"))
    assert (
        COLOURS["error"][0]
        in client.get(reverse("scenarios:studio_scenario_map", args=[complaint.pk])).content.decode()
    )
    page = client.get(reverse("scenarios:studio_scenario", args=[complaint.pk])).content.decode()
    assert f'<img class="scenario-map-img" id="map-img" src="/studio/scenarios/{complaint.pk}/map.svg?v=' in page
    assert "<svg" not in page  # never inline: the page's CSP stays strict


def test_the_map_is_refused_to_reps_and_managers(cast, signed_in, complaint):
    for person in (cast.rep_a1, cast.manager_a, cast.rep_b1):
        assert signed_in(person).get(reverse("scenarios:studio_scenario_map", args=[complaint.pk])).status_code == 404


def test_values_are_added_and_renamed(cast, signed_in):
    client = signed_in(cast.admin)
    client.post(
        reverse("scenarios:studio_scenario_values"),
        {"new-name_ja": "顧客第一", "new-name_en": "Customer first", "new-slug": "customer-first"},
    )
    tag = ValueTag.objects.get(slug="customer-first")
    client.post(
        reverse("scenarios:studio_scenario_value", args=[tag.pk]),
        {f"v{tag.pk}-name_ja": "お客様第一", f"v{tag.pk}-name_en": "Customers first"},
    )
    tag.refresh_from_db()
    assert (tag.name_ja, tag.name_en) == ("お客様第一", "Customers first")
    response = client.post(
        reverse("scenarios:studio_scenario_values"),
        {"new-name_ja": "重複", "new-name_en": "Dup", "new-slug": "customer-first"},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert ValueTag.objects.count() == 1
    assert signed_in(cast.rep_a1).get(reverse("scenarios:studio_scenario_values")).status_code == 404
