"""SCORM 2004 sequencing: what a manifest's rules allow a rep, read from their SCO states (no database)."""

import json
from types import SimpleNamespace
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]
from django.urls import reverse

from kizuna.packages.sequencing import Tree, tree_from
from kizuna.records.models import LessonProgress

from .conftest import package_lesson_course
from .sequenced import LINEAR_BODY, LINEAR_ORG, NOT_COUNTED, item, linear_zip, manifest, pre
from .test_counts import _CONFIG, device, send


def tree_of(body: str, org: str, ids: list[str], collection: str = "") -> dict[str, Any]:
    root = fromstring(manifest(body, org_sequencing=org, identifiers=ids, collection=collection).encode())
    organization = next(el for el in root.iter() if el.tag.endswith("}organization"))
    return tree_from(root, organization, set(ids))


def st(completion: str = "unknown", success: str = "unknown", attempts: int = 1, exit: str = "") -> Any:
    state = SimpleNamespace(completion=completion, success=success, attempts=attempts, commits=1, exit=exit)
    state.is_done = success == "passed" or (completion == "completed" and success != "failed")
    return state


def test_a_package_with_objectives_only_is_not_sequenced() -> None:
    objectives = '<imsss:objectives><imsss:primaryObjective objectiveID="p"/></imsss:objectives>'
    assert tree_of(item("a", "A", objectives), "", ["a"]) == {}


def test_flow_skips_by_rule_stops_at_the_attempt_limit_and_ends() -> None:
    raw = tree_of(LINEAR_BODY, LINEAR_ORG, ["intro", "quiz", "extra"])
    assert raw["controls"] == {"choice": False, "flow": True, "forwardOnly": True}
    fresh = Tree(raw, {})
    node, problem = fresh.flow(None)
    assert (node["id"], problem) == ("intro", None)  # start: the first activity
    assert fresh.choice_problem("quiz") == "no-choice"  # the organization does not allow choosing
    assert fresh.flow("quiz", forward=False) == (None, "forward-only")
    assert fresh.flow("quiz")[1] == "end"  # "extra" is skipped always: past the last activity
    done_intro = Tree(raw, {"intro": st("completed")})
    assert done_intro.flow(None)[0]["id"] == "quiz"  # "intro" is completed: skipped
    used = Tree(raw, {"intro": st("completed"), "quiz": st("incomplete", attempts=1)})
    assert used.flow("intro") == (None, "limit")
    resumable = Tree(raw, {"intro": st("completed"), "quiz": st("incomplete", attempts=1, exit="suspend")})
    assert resumable.flow("intro")[0]["id"] == "quiz"  # a suspended attempt may be resumed


def test_rollup_leaves_out_what_does_not_count_and_a_failure_keeps_the_package_open() -> None:
    raw = tree_of(LINEAR_BODY, LINEAR_ORG, ["intro", "quiz", "extra"])
    assert not Tree(raw, {"intro": st("completed")}).done()
    passed = Tree(raw, {"intro": st("completed"), "quiz": st("completed", "passed")})
    assert passed.done() and passed.status["org"].satisfied is None  # intro has no objective status
    failed = Tree(raw, {"intro": st("completed", "passed"), "quiz": st("completed", "failed")})
    assert failed.status["org"].satisfied is False and not failed.done()


def test_rollup_rules_disabled_hidden_choice_exit_and_a_sequencing_collection() -> None:
    collection = (
        '<imsss:sequencingCollection><imsss:sequencing ID="locked">'
        + pre("disabled", "attempted", "not")
        + "</imsss:sequencing></imsss:sequencingCollection>"
    )
    chapter = (
        '<item identifier="ch"><title>章</title>'
        + item("a", "A", '<imsss:controlMode choiceExit="false"/>')
        + item("b", "B")
        + "<imsss:sequencing>"
        '<imsss:rollupRules><imsss:rollupRule childActivitySet="atLeastCount" minimumCount="1">'
        '<imsss:rollupConditions><imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions>'
        '<imsss:rollupAction action="satisfied"/></imsss:rollupRule></imsss:rollupRules>'
        "</imsss:sequencing></item>"
    )
    body = (
        chapter
        + item("c", "C", pre("hiddenFromChoice", "always"))
        + '<item identifier="d" identifierref="res-d"><title>D</title><imsss:sequencing IDRef="locked"/></item>'
        + item("e", "E", NOT_COUNTED)
    )
    raw = tree_of(body, '<imsss:controlMode flow="true"/>', ["a", "b", "c", "d", "e"], collection)
    tree = Tree(raw, {"a": st("completed", "passed")})
    assert tree.status["ch"].satisfied is True  # one satisfied child is enough by the chapter's rule
    assert tree.choice_problem("c") == "hidden"
    assert tree.choice_problem("d") == "disabled"  # from the collection: disabled until attempted
    assert tree.choice_problem("b") is None
    assert tree.choice_problem("c", current="a") == "hidden"
    assert tree.choice_problem("e", current="a") == "no-exit"  # "a" may not be left by choice
    assert tree.choice_problem("e", current="b") is None
    assert tree.flow("b") == (None, "no-flow")  # the chapter does not allow flow (the default)
    assert Tree(raw, {"d": st("incomplete")}).choice_problem("d") is None


@pytest.mark.django_db
def test_a_rep_is_led_through_a_sequenced_package_by_its_rules(cast: Any) -> None:
    """Start, choice refused, continue evaluated after the SCO's last commit (waiting for it), the attempt limit,
    and the lesson completed by the organization's rollup (the skipped, uncounted SCO left out)."""
    course, lesson, package = package_lesson_course(cast, slug="seq", data=linear_zip())
    intro, quiz, extra = package.scos.order_by("position")
    rep = device(cast.rep_a1)
    page = rep.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert page.count('class="locked"') == 3  # the organization allows no choice: nothing is a link
    start = rep.get(reverse("packages:sco_nav", args=[lesson.pk, "start"]))
    assert start.status_code == 302 and f"/sco/{intro.pk}/?delivered=" in start["Location"]
    refused = rep.get(reverse("packages:sco_play", args=[lesson.pk, quiz.pk]), follow=True)
    assert "終わったら「次へ」" in refused.content.decode()  # not delivered by sequencing: a choice, refused
    config = launch(rep, lesson, intro, start["Location"])
    send(rep, config, {"cmi.completion_status": "completed", "cmi.exit": "normal"})
    saving = rep.get(config["navigation"]["continue"])  # the terminating commit has not arrived yet
    assert saving.status_code == 200 and "try=1" in saving.content.decode()
    send(rep, config, {"cmi.completion_status": "completed", "cmi.exit": "normal"}, terminate=True)
    moved = rep.get(config["navigation"]["continue"])
    assert f"/sco/{quiz.pk}/?delivered=" in moved["Location"]  # flow, past nothing
    config = launch(rep, lesson, quiz, moved["Location"])
    passed = {"cmi.completion_status": "completed", "cmi.success_status": "passed", "cmi.score.scaled": "0.8"}
    send(rep, config, passed, terminate=True)
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None
    assert not extra.states.exists()  # "extra" (skipped, not counted) was never needed
    end = rep.get(config["navigation"]["continue"], follow=True)
    assert "最後まで進みました" in end.content.decode()
    again = rep.get(reverse("packages:sco_nav", args=[lesson.pk, "jump"]) + "?target=quiz", follow=True)
    assert "受けられる回数" in again.content.decode()  # attemptLimit 1, used


def launch(client: Any, lesson: Any, sco: Any, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(_CONFIG.search(response.content.decode()).group(1))


def objectives(primary: str, writes: str = "", reads: tuple[str, str] | None = None) -> str:
    write = f'<imsss:mapInfo targetObjectiveID="{writes}" writeSatisfiedStatus="true"/>' if writes else ""
    read = ""
    if reads:
        read = f'<imsss:objective objectiveID="{reads[0]}"><imsss:mapInfo targetObjectiveID="{reads[1]}"/></imsss:objective>'
    return (
        f'<imsss:objectives><imsss:primaryObjective objectiveID="{primary}">{write}</imsss:primaryObjective>'
        f"{read}</imsss:objectives>"
    )


def test_a_rule_on_a_referenced_objective_reads_the_global_objective_another_sco_writes() -> None:
    """Forced order as ADL's golf samples build it: each SCO is disabled until the one before it is satisfied,
    told through a global objective that the earlier SCO's primary objective writes."""
    locked = (
        '<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions conditionCombination="any">'
        '<imsss:ruleCondition referencedObjective="prev" operator="not" condition="satisfied"/>'
        '<imsss:ruleCondition referencedObjective="prev" operator="not" condition="objectiveStatusKnown"/>'
        '</imsss:ruleConditions><imsss:ruleAction action="disabled"/></imsss:preConditionRule></imsss:sequencingRules>'
    )
    body = item("a", "A", objectives("pa", writes="g.a")) + item(
        "b", "B", locked + objectives("pb", reads=("prev", "g.a"))
    )
    raw = tree_of(body, '<imsss:controlMode choice="true" flow="true"/>', ["a", "b"])
    assert Tree(raw, {}).choice_problem("b") == "disabled"
    assert Tree(raw, {"a": st("completed", "failed")}).flow("a") == (None, "disabled")
    opened = Tree(raw, {"a": st("completed", "passed")})
    assert opened.choice_problem("b") is None and opened.flow("a")[0]["id"] == "b"
