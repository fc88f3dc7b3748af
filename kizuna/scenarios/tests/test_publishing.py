"""Publishing: refused with the validation errors, immutable versions, republishing, attempts keep their version."""

from uuid import uuid4

import pytest

from kizuna.scenarios import services
from kizuna.scenarios.errors import ScenarioError
from kizuna.scenarios.exchange import scenario_export
from kizuna.scenarios.models import ScenarioVersion
from kizuna.scenarios.services import scenario_publish
from kizuna.scenarios.validation import Code

from .helpers import REFERENCE_PATH, example_data, play


def test_publishing_freezes_the_graph_in_the_exchange_format(cast, complaint):
    version = scenario_publish(scenario=complaint, publisher=cast.author)
    assert version.number == 1
    assert version.graph == example_data()
    assert version.published_by == cast.author
    complaint.refresh_from_db()
    assert complaint.latest_version == version
    assert not complaint.has_unpublished_changes


def test_a_draft_with_errors_is_refused_with_every_error(cast, complaint):
    services.node_delete(node=complaint.nodes.get(key="manual-sent"))
    services.node_create(scenario=complaint, key="orphan", kind="end", outcome="won")
    with pytest.raises(ScenarioError) as exc:
        scenario_publish(scenario=complaint, publisher=cast.author)
    found = {(e.code, e.node, e.choice) for e in exc.value.errors}
    assert (Code.CHOICE_NO_NEXT, "details", "send-manual") in found
    assert (Code.UNREACHABLE, "orphan", None) in found
    assert not ScenarioVersion.objects.exists()


def test_editing_the_draft_after_publishing_leaves_the_version_unchanged(cast, complaint_version, complaint):
    frozen = scenario_export(complaint)
    choice = complaint.nodes.get(key="opening").choices.get(key="apologize-first")
    services.choice_update(choice=choice, text="大変申し訳ございません。", next_node=choice.next_node, score=2)
    complaint.refresh_from_db()
    assert complaint.has_unpublished_changes
    complaint_version.refresh_from_db()
    assert complaint_version.graph == frozen


def test_a_version_cannot_be_saved_again(complaint_version):
    complaint_version.title = "changed"
    with pytest.raises(ValueError):
        complaint_version.save()


def test_republishing_an_unchanged_draft_returns_the_latest_version(cast, complaint_version, complaint):
    assert scenario_publish(scenario=complaint, publisher=cast.admin) == complaint_version
    assert ScenarioVersion.objects.count() == 1


def test_republishing_a_changed_draft_makes_v2_and_attempts_keep_their_version(cast, complaint_version, complaint):
    attempt = play(cast.rep_a1, complaint_version, REFERENCE_PATH[:2])
    node = complaint.nodes.get(key="trust")
    services.node_update(node=node, key="trust", kind="moment", speaker=node.speaker, text="改訂した場面")
    v2 = scenario_publish(scenario=complaint, publisher=cast.author)
    assert v2.number == 2 and v2 != complaint_version
    attempt.refresh_from_db()
    assert attempt.version == complaint_version
    # The attempt goes on in the version it started in.
    services.choice_make(
        rep=cast.rep_a1, registration=attempt.registration, node_key="fixed", choice="root-cause", statement_id=uuid4()
    )
    attempt.refresh_from_db()
    assert attempt.current_node == "trust"
    assert attempt.version.graph["nodes"][6]["text"] != "改訂した場面"
