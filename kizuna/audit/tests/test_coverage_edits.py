"""The kinds of change the trail recorded last: draft edits (courses and lessons, scenarios, quizzes and their
questions), coaching reviews, community moderation and experiments. Each test checks the entry (who, what, before
and after, organization) and who may read it: an agency's manager only their agency's entries."""

from typing import Any

import pytest

from kizuna.audit.models import Action, AuditEntry
from kizuna.audit.selectors import audit_entries
from kizuna.orgs.access import audit_organization_ids


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


def _seen_by(user: Any) -> set[int]:
    scope = audit_organization_ids(user)
    return set() if scope == [] else set(audit_entries(organization_ids=scope).values_list("pk", flat=True))


def _principal_only(cast: Any, entries: list[AuditEntry]) -> None:
    """The principal's content: its admin reads these entries, no agency's manager does."""
    ids = {e.pk for e in entries}
    assert all(e.organization_id is None for e in entries)
    assert ids <= _seen_by(cast.admin)
    assert not ids & _seen_by(cast.manager_a) and not ids & _seen_by(cast.manager_b)


def test_editing_a_course_draft_records_each_change_with_before_and_after(cast: Any, signed_in: Any) -> None:
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="製品の基本", slug="basics")
    module = catalog.module_create(course=course, title="はじめに")
    lesson = catalog.lesson_create(module=module, kind="article", title="想い", body="お客様第一。")
    catalog.lesson_create(module=module, kind="article", title="料金", body="月額制です。")
    catalog.course_update(course=course, title="製品の基本 2027", summary="", product=None, tags=[])
    client = signed_in(cast.author)  # through the studio: the request's person and address are the entry's
    form = {"title": "想い", "estimated_minutes": 5, "body": "お客様第一。誠実に。"}
    assert client.post(f"/studio/lessons/{lesson.pk}/", form, REMOTE_ADDR="203.0.113.9").status_code == 302
    catalog.lesson_update(lesson=lesson, title="想い", body="お客様第一。誠実に。", estimated_minutes=5)  # no change
    catalog.lesson_move(lesson=lesson, direction=1)
    catalog.lesson_delete(lesson=lesson)
    entries = list(AuditEntry.objects.filter(action=Action.COURSE_EDIT).order_by("pk"))
    assert [e.after["edit"] for e in entries] == [
        "course.create",
        "module.create",
        "lesson.create",
        "lesson.create",
        "course.update",
        "lesson.update",
        "lesson.move",
        "lesson.delete",
    ]
    assert all(e.target_type == "catalog.course" and e.target_id == str(course.pk) for e in entries)
    renamed, edited, moved, deleted = entries[4], entries[5], entries[6], entries[7]
    assert renamed.before == {"edit": "course.update", "title": "製品の基本"}
    assert renamed.after == {"edit": "course.update", "title": "製品の基本 2027"}
    assert edited.before == {"edit": "lesson.update", "body": "お客様第一。"}
    assert edited.after == {"edit": "lesson.update", "body": "お客様第一。誠実に。"}
    assert edited.target_label == "製品の基本 2027 › 想い"
    assert (edited.actor, edited.ip) == (cast.author, "203.0.113.9")
    assert (moved.before["position"], moved.after["position"]) == (1, 2)
    assert deleted.before["title"] == "想い" and deleted.after == {"edit": "lesson.delete"}
    _principal_only(cast, entries)


def test_a_long_lesson_body_is_kept_short_in_the_entry(cast: Any) -> None:
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="長文", slug="long")
    module = catalog.module_create(course=course, title="一")
    catalog.lesson_create(module=module, kind="article", title="本文", body="あ" * 50_000)
    body = _last(Action.COURSE_EDIT).after["body"]
    assert len(body) < 2_100 and "50000 chars, sha256 " in body


def test_editing_a_scenario_draft_records_moments_and_choices(cast: Any) -> None:
    from kizuna.scenarios import services as scenarios

    scenario = scenarios.scenario_create(author=cast.author, title="値引き交渉", slug="discount")
    first = scenarios.node_create(scenario=scenario, speaker="お客様", text="高いですね。")
    end = scenarios.node_create(scenario=scenario, kind="end", outcome="won", debrief="よくできました。")
    choice = scenarios.choice_create(node=first, text="価値をご説明します。", next_node=end, score=2)
    scenarios.choice_update(choice=choice, text="価値をご説明します。", next_node=end, score=3)
    scenarios.node_update(node=first, key=first.key, kind="moment", speaker="社長", text="高いですね。")
    scenarios.choice_delete(choice=choice)
    entries = list(AuditEntry.objects.filter(action=Action.SCENARIO_EDIT).order_by("pk"))
    assert [e.after["edit"] for e in entries] == [
        "scenario.create",
        "moment.create",
        "moment.create",
        "choice.create",
        "choice.update",
        "moment.update",
        "choice.delete",
    ]
    assert all(e.target_type == "scenarios.scenario" and e.target_id == str(scenario.pk) for e in entries)
    assert entries[4].before == {"edit": "choice.update", "score": 2}
    assert entries[4].after == {"edit": "choice.update", "score": 3}
    assert entries[5].before == {"edit": "moment.update", "speaker": "お客様"}
    assert entries[6].before["text"] == "価値をご説明します。" and entries[6].before["next"] == end.key
    assert entries[0].actor == cast.author  # named by the service when no request says who
    _principal_only(cast, entries)


def test_editing_a_quiz_and_its_questions_is_recorded(cast: Any) -> None:
    from kizuna.assessments.services import (
        bank_create,
        question_archive,
        question_create,
        question_update,
        quiz_create,
        quiz_item_remove,
        quiz_question_add,
        quiz_update,
    )

    bank = bank_create(slug="pricing", title="料金", author=cast.author)
    data = {"options": [{"id": "1", "text": "月額", "weight": 100.0}, {"id": "2", "text": "年額", "weight": 0.0}]}
    question = question_create(bank=bank, type="single", text="料金体系は？", data=data)
    question_update(question=question, type="single", text="料金の体系は？", data=data)
    question_archive(question=question)
    question_archive(question=question)  # already archived: no second entry
    questions = list(AuditEntry.objects.filter(action=Action.QUESTION_EDIT).order_by("pk"))
    assert [e.after["edit"] for e in questions] == [
        "bank.create",
        "question.create",
        "question.update",
        "question.archive",
    ]
    assert questions[2].target_id == str(question.pk)
    assert questions[2].before == {"edit": "question.update", "text": "料金体系は？"}
    assert questions[2].after == {"edit": "question.update", "text": "料金の体系は？"}
    assert questions[3].before == {"edit": "question.archive", "archived_at": None}

    quiz = quiz_create(author=cast.author, title="料金クイズ")
    fresh = question_create(bank=bank, type="single", text="支払い方法は？", data=data)
    item = quiz_question_add(quiz=quiz, question=fresh)
    quiz_update(
        quiz=quiz,
        title="料金クイズ",
        pass_mark=70,
        allowed_attempts=0,
        time_limit_minutes=None,
        shuffle_options=True,
        shuffle_questions=False,
    )
    quiz_item_remove(item=item)
    quizzes = list(AuditEntry.objects.filter(action=Action.QUIZ_EDIT).order_by("pk"))
    assert [e.after["edit"] for e in quizzes] == ["quiz.create", "item.add", "quiz.update", "item.remove"]
    assert quizzes[1].after["question"] == fresh.pk
    assert quizzes[2].before == {"edit": "quiz.update", "pass_mark": 80}
    assert quizzes[2].after == {"edit": "quiz.update", "pass_mark": 70}
    assert quizzes[3].before["question"] == fresh.pk
    _principal_only(cast, questions + quizzes)


@pytest.mark.usefixtures("django_capture_on_commit_callbacks")
def test_a_coachs_review_is_recorded_in_the_reps_agency_and_a_peers_is_not(cast: Any) -> None:
    from kizuna.coaching import services
    from kizuna.coaching.tests.helpers import criteria_ids, hand_in, roleplay_for

    roleplay = roleplay_for(cast, peer_count=1, pass_threshold=60)
    take = hand_in(cast.rep_a1, roleplay)
    ids = criteria_ids(roleplay)
    for review in take.reviews.filter(status="requested").order_by("role"):
        services.review_submit(
            review=review,
            levels={ids[0]: 3, ids[1]: 1},
            reasons={i: "よく聞けています" for i in ids},
            feedback="課題を深掘りできました。",
        )
    entries = list(AuditEntry.objects.filter(action=Action.REVIEW_SUBMIT))
    assert len(entries) == 1  # the coach's; the peer's review is a rep's, not staff's
    entry = entries[0]
    assert entry.actor == cast.coach and entry.organization_id == cast.partner_a.pk
    assert entry.before == {"status": "requested"}
    assert entry.after["status"] == "submitted" and entry.after["rep"] == cast.rep_a1.email
    assert entry.after["levels"] == {"ヒアリング": 3, "提案": 1}
    assert entry.after["feedback"] == "課題を深掘りできました。"
    assert entry.pk in _seen_by(cast.manager_a) and entry.pk in _seen_by(cast.admin)
    assert entry.pk not in _seen_by(cast.manager_b)


def test_hiding_showing_and_dismissing_in_the_community_are_recorded(cast: Any) -> None:
    from kizuna.community import services
    from kizuna.community.tests.conftest import answer, ask

    question = ask(cast.rep_a1)
    reply = answer(question, cast.rep_a2, body="競合の悪口を書きます")
    services.post_hide(post=reply, moderator=cast.manager_a, reason="他社を中傷しています")
    services.post_unhide(post=reply, moderator=cast.manager_a)
    report = services.post_report(post=question, reporter=cast.rep_a2, reason="重複しています")
    services.report_resolve(report=report, moderator=cast.manager_a, hide=False)
    hidden, shown, dismissed = (
        _last(Action.POST_HIDE),
        _last(Action.POST_UNHIDE),
        _last(Action.REPORT_DISMISS),
    )
    assert (hidden.actor, hidden.organization_id, hidden.target_type) == (
        cast.manager_a,
        cast.partner_a.pk,
        "community.answer",
    )
    assert hidden.before == {"hidden": False} and hidden.after == {"hidden": True, "reason": "他社を中傷しています"}
    assert shown.before == {"hidden": True, "reason": "他社を中傷しています"} and shown.after == {"hidden": False}
    assert dismissed.target_type == "community.question" and dismissed.after["resolution"] == "dismissed"
    ids = {hidden.pk, shown.pk, dismissed.pk}
    assert ids <= _seen_by(cast.manager_a) and ids <= _seen_by(cast.admin)
    assert not ids & _seen_by(cast.manager_b)


def test_starting_an_experiment_is_recorded_for_each_agency_taking_part(cast: Any) -> None:
    from kizuna.kpis import services
    from kizuna.kpis.tests.rollout_builders import THIS, reps_with_history, unassigned_course

    reps_with_history(cast, reps=8)
    course = unassigned_course(cast)
    experiment = services.experiment_start(
        course=course,
        partners=[cast.partner_a],
        design=services.ExperimentDesign(metric="appointment_rate", design="holdout", start=THIS, period=3),
        started_by=cast.admin,
        seed=20261206,
    )
    started = list(AuditEntry.objects.filter(action=Action.EXPERIMENT_START))
    assert len(started) == 1
    entry = started[0]
    assert (entry.actor, entry.organization_id, entry.target_id) == (
        cast.admin,
        cast.partner_a.pk,
        str(experiment.pk),
    )
    assert entry.after["design"] == "holdout" and entry.after["seed"] == "20261206"
    assert sum(entry.after["reps_by_group"].values()) == experiment.units.count()
    assert entry.pk in _seen_by(cast.manager_a) and entry.pk not in _seen_by(cast.manager_b)
    services.experiment_rewind(experiment=experiment, start=THIS.replace(year=THIS.year - 1))
    moved = _last(Action.EXPERIMENT_MOVE)
    assert moved.before == {"start": THIS.isoformat()} and moved.after["shift_months"] == -12


def test_glossary_terms_added_changed_imported_and_removed_are_recorded(cast: Any) -> None:
    from kizuna.plain.services import glossary_import, term_delete, term_save

    term = term_save(editor=cast.author, term_ja="KPI", explanation_ja="目標の数字", is_jargon=True)
    term_save(editor=cast.author, term=term, term_ja="KPI", explanation_ja="達成を測る目標の数字", is_jargon=True)
    term_delete(term=term)
    entries = list(AuditEntry.objects.filter(action=Action.GLOSSARY_EDIT).order_by("pk"))
    assert [e.after["edit"] for e in entries] == ["term.create", "term.update", "term.delete"]
    assert entries[0].actor == cast.author and entries[0].target_label == "KPI"
    assert entries[1].before == {"edit": "term.update", "explanation_ja": "目標の数字"}
    assert entries[1].after == {"edit": "term.update", "explanation_ja": "達成を測る目標の数字"}
    assert entries[2].before["term_ja"] == "KPI"
    glossary_import(editor=cast.author, data="term_ja,explanation_ja\nリード,見込み客\n".encode())
    imported = _last(Action.GLOSSARY_EDIT)
    assert imported.after == {"edit": "import", "created": 1, "updated": 0, "terms": ["リード"]}
    _principal_only(cast, [*entries, imported])


def test_deleting_a_video_is_recorded(cast: Any) -> None:
    from django.core.files.base import ContentFile

    from kizuna.media.models import Video
    from kizuna.media.services import video_delete

    video = Video.objects.create(title="商談の始め方", uploaded_by=cast.author)
    video.original.save("talk.mp4", ContentFile(b"not really a video"), save=True)
    video_delete(video=video)
    entry = _last(Action.VIDEO_DELETE)
    assert entry.target_label == "商談の始め方" and entry.before["uploaded_by"] == cast.author.pk
    _principal_only(cast, [entry])


def test_writing_and_changing_a_roleplay_draft_is_recorded(cast: Any) -> None:
    from kizuna.coaching import services
    from kizuna.coaching.tests.helpers import CRITERIA

    values: dict[str, Any] = {
        "title": "初回訪問",
        "situation": "社長を訪問します。",
        "persona": "慎重な社長",
        "goal": "課題を3つ聞く",
        "criteria": CRITERIA,
    }
    roleplay = services.roleplay_create(author=cast.coach, **values)
    services.roleplay_update(
        roleplay=roleplay,
        **{**values, "goal": "課題を3つ聞き、次回の約束を取る"},
        pass_threshold=70,
        review_by_coach=True,
        review_by_manager=False,
        peer_count=2,
        review_days=3,
        due_at=None,
    )
    made, changed = AuditEntry.objects.filter(action=Action.ROLEPLAY_EDIT).order_by("pk")
    assert made.actor == cast.coach and made.after["criteria"][0][0] == "ヒアリング"
    assert changed.before == {"edit": "roleplay.update", "goal": "課題を3つ聞く", "pass_threshold": 60}
    assert changed.after == {"edit": "roleplay.update", "goal": "課題を3つ聞き、次回の約束を取る", "pass_threshold": 70}
    _principal_only(cast, [made, changed])
