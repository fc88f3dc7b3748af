"""The last staff writes put on the trail: feedback answers, freshness, the support desk, the readability target,
SCORM and cmi5 packages, video uploads, coaching takes (reference, comments, deletion), flash update and survey
drafts, products and tags, success story nominations. Each test checks the entry (who, what, before and after,
organization) and who may read it: the principal's content is read by its staff only, an agency's data by that
agency's manager too (never by another agency's)."""

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile

from kizuna.audit.models import Action, AuditEntry
from kizuna.audit.selectors import audit_entries
from kizuna.orgs.access import audit_organization_ids


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def _seen_by(user: Any) -> set[int]:
    scope = audit_organization_ids(user)
    return set() if scope == [] else set(audit_entries(organization_ids=scope).values_list("pk", flat=True))


def _principal_only(cast: Any, entries: list[AuditEntry]) -> None:
    """The principal's content: its admin reads these entries, no agency's manager does."""
    ids = {e.pk for e in entries}
    assert ids and all(e.organization_id is None for e in entries)
    assert ids <= _seen_by(cast.admin)
    assert not ids & _seen_by(cast.manager_a) and not ids & _seen_by(cast.manager_b)


def _agency_a_only(cast: Any, entries: list[AuditEntry]) -> None:
    """Agency A's data: its manager and the principal read these entries, agency B's manager does not."""
    ids = {e.pk for e in entries}
    assert ids and all(e.organization_id == cast.partner_a.pk for e in entries)
    assert ids <= _seen_by(cast.manager_a) and ids <= _seen_by(cast.admin)
    assert not ids & _seen_by(cast.manager_b)


def test_answering_a_field_voice_and_handling_lesson_feedback_are_recorded_in_the_reps_agency(
    cast: Any, article_course: Any
) -> None:
    from kizuna.feedback import services
    from kizuna.feedback.tests.conftest import give_feedback, record_voice

    voice = record_voice(cast.rep_a1)
    services.field_voice_answer(voice=voice, by=cast.author, answer="専任の担当がつきます。")
    services.field_voice_answer(voice=voice, by=cast.author, answer="専任の担当がつきます。")  # nothing changed
    services.field_voice_answer(voice=voice, by=cast.admin, answer="専任の担当が24時間つきます。")
    answered, changed = _entries(Action.FEEDBACK_ANSWER)
    assert (answered.actor, answered.target_type, answered.target_id) == (
        cast.author,
        "feedback.fieldvoice",
        str(voice.pk),
    )
    assert answered.before == {"edit": "field_voice.answer", "answer": "", "status": "new"}
    assert answered.after == {"edit": "field_voice.answer", "answer": "専任の担当がつきます。", "status": "answered"}
    assert changed.actor == cast.admin and changed.before["answer"] == "専任の担当がつきます。"
    assert "status" not in changed.after  # only what changed

    lesson = article_course.latest_version.lessons.first()
    feedback = give_feedback(cast.rep_a1, lesson)
    services.lesson_feedback_handle(feedback=feedback, by=cast.author, note="料金の例を増やしました。")
    handled = _last(Action.FEEDBACK_ANSWER)
    assert handled.target_type == "feedback.lessonfeedback" and handled.target_label == lesson.title
    assert handled.before == {"edit": "lesson_feedback.handle", "status": "open", "note": ""}
    assert handled.after == {"edit": "lesson_feedback.handle", "status": "handled", "note": "料金の例を増やしました。"}
    _agency_a_only(cast, [answered, changed, handled])


def test_setting_confirming_and_flagging_freshness_is_recorded(cast: Any) -> None:
    from kizuna.freshness import services
    from kizuna.freshness.tests.helpers import linked_lesson, product

    prod = product()
    lesson = linked_lesson(cast, prod, review_by=date(2027, 3, 31))
    services.product_mark_changed(user=cast.admin, product=prod, note="料金改定")
    services.freshness_confirm(user=cast.author, kind="lesson", object_id=lesson.pk, next_review_by=date(2099, 1, 1))
    services.freshness_set(user=cast.author, kind="lesson", object_id=lesson.pk, review_by=None, products=[])
    made, flagged, confirmed, cleared = _entries(Action.FRESHNESS_EDIT)
    assert made.actor == cast.author and made.target_type == "freshness.freshness"
    assert made.before == {"edit": "freshness.set", "review_by": None, "products": []}
    assert made.after == {"edit": "freshness.set", "review_by": "2027-03-31", "products": ["クラウドPro"]}
    assert made.target_label == "料金の説明 › 料金"
    assert flagged.actor == cast.admin and flagged.target_type == "freshness.productchange"
    assert flagged.after == {"edit": "product.changed", "note": "料金改定", "flagged": 1, "reopened_certifications": []}
    assert confirmed.before["flag_reason"] == "料金改定" and confirmed.after["flag_reason"] == ""
    assert confirmed.after["review_by"] == "2099-01-01" and confirmed.after["confirmed_at"]
    assert cleared.before == {"edit": "freshness.set", "review_by": "2099-01-01", "products": ["クラウドPro"]}
    assert cleared.after == {"edit": "freshness.set", "review_by": None, "products": []}
    _principal_only(cast, [made, flagged, confirmed, cleared])


def test_the_support_desk_answers_assignments_closings_and_help_pages_are_recorded(cast: Any) -> None:
    from kizuna.support import services
    from kizuna.support.tests.helpers import ask

    ticket = ask(cast.rep_a1)
    services.ticket_assign(ticket=ticket, assignee=cast.admin, by=cast.admin)
    services.ticket_reply(ticket=ticket, author=cast.admin, body="ブラウザを再読み込みしてください。")
    services.ticket_reply(ticket=ticket, author=cast.rep_a1, body="直りました。")  # the asker's: not staff's
    services.ticket_close(ticket=ticket, by=cast.rep_a1)  # the asker closing their own question: not staff's
    other = ask(cast.manager_a, subject="請求書の宛名")
    services.ticket_close(ticket=other, by=cast.admin)
    assigned, answered, closed = _entries(Action.TICKET_UPDATE)
    assert assigned.before == {"edit": "ticket.assign", "status": "new", "assignee": None}
    assert assigned.after == {"edit": "ticket.assign", "status": "in_progress", "assignee": cast.admin.email}
    assert answered.before == {"edit": "ticket.answer", "status": "in_progress", "answer": None}
    assert answered.after == {
        "edit": "ticket.answer",
        "status": "answered",
        "answer": "ブラウザを再読み込みしてください。",
    }
    assert closed.target_id == str(other.pk) and closed.after == {"edit": "ticket.close", "status": "closed"}
    assert {e.actor for e in (assigned, answered, closed)} == {cast.admin}
    _agency_a_only(cast, [assigned, answered, closed])

    page = services.help_page_create(
        created_by=cast.admin,
        title_ja="動画が再生されないとき",
        body_ja="再読み込みしてください。",
        roles=["rep", "manager"],
        from_ticket=ticket,
    )
    published = _last(Action.HELP_PAGE_CREATE)
    assert (published.actor, published.target_id, published.target_label) == (
        cast.admin,
        str(page.pk),
        "動画が再生されないとき",
    )
    assert published.after == {
        "title_ja": "動画が再生されないとき",
        "title_en": "",
        "roles": ["rep", "manager"],
        "from_ticket": ticket.pk,
    }
    _principal_only(cast, [published])


def test_changing_the_target_readability_is_recorded(cast: Any) -> None:
    from kizuna.plain.services import target_set

    target_set(level_ja=4.0, level_en=60.0)
    target_set(level_ja=4.0, level_en=60.0)  # the same: no entry
    target_set(level_ja=3.0, level_en=60.0)
    entries = _entries(Action.PLAIN_TARGET_UPDATE)
    assert [e.after["edit"] for e in entries] in (["target.create", "target.update"], ["target.update"] * 2)
    last = entries[-1]
    assert last.before == {"edit": "target.update", "level_ja": 4.0} and last.after == {
        "edit": "target.update",
        "level_ja": 3.0,
    }
    _principal_only(cast, entries)


def test_importing_and_removing_scorm_and_cmi5_packages_is_recorded(cast: Any) -> None:
    from kizuna.cmi5.services import cmi5_course_delete, cmi5_course_import
    from kizuna.cmi5.tests.courses import cmi5_zip
    from kizuna.packages.services import package_delete, package_import
    from kizuna.packages.tests.packages import package_zip

    package = package_import(upload=io.BytesIO(package_zip()), author=cast.author)
    package_delete(package=package)
    course = cmi5_course_import(upload=io.BytesIO(cmi5_zip()), author=cast.author)
    cmi5_course_delete(course=course)
    entries = _entries(Action.PACKAGE_EDIT)
    assert [e.after["edit"] for e in entries] == ["package.import", "package.delete", "cmi5.import", "cmi5.delete"]
    imported, removed, cmi5_in, cmi5_out = entries
    assert imported.actor == cast.author and imported.target_type == "packages.package"
    assert imported.after["uploaded_by"] == cast.author.email and imported.after["files"] > 0
    assert removed.before["title"] == package.title and removed.after == {"edit": "package.delete"}
    assert cmi5_in.target_type == "cmi5.course" and cmi5_in.after["title"] == course.title
    assert cmi5_out.before["publisher_id"] == course.publisher_id
    _principal_only(cast, entries)


@pytest.mark.usefixtures("django_capture_on_commit_callbacks")
def test_staff_uploads_are_recorded_and_a_reps_take_is_not(cast: Any) -> None:
    from kizuna.coaching.tests.helpers import hand_in, roleplay_for, video_bytes
    from kizuna.media.services import video_create

    video_create(uploaded_by=cast.author, file=ContentFile(video_bytes(), name="talk.mp4"), title="商談の始め方")
    video_create(uploaded_by=cast.manager_a, file=ContentFile(video_bytes(), name="team.mp4"), title="朝会")
    hand_in(cast.rep_a1, roleplay_for(cast))
    authored, managed = _entries(Action.VIDEO_CREATE)  # the rep's take made no entry
    assert (authored.actor, authored.target_label) == (cast.author, "商談の始め方")
    assert authored.after["uploaded_by"] == cast.author.pk and authored.after["bytes"] == len(video_bytes())
    _principal_only(cast, [authored])
    assert managed.actor == cast.manager_a
    _agency_a_only(cast, [managed])


@pytest.mark.usefixtures("django_capture_on_commit_callbacks")
def test_a_take_made_a_reference_commented_by_a_coach_and_deleted_by_staff_is_recorded(cast: Any) -> None:
    from kizuna.coaching import services
    from kizuna.coaching.tests.helpers import hand_in, roleplay_for

    roleplay = roleplay_for(cast)
    take = hand_in(cast.rep_a1, roleplay, consent=True)
    services.submission_reference_set(submission=take, reference=True, by=cast.coach)
    services.submission_reference_set(submission=take, reference=True, by=cast.coach)  # already one: no entry
    comment = services.comment_add(submission=take, author=cast.coach, body="ここで課題を聞けています。", at_second=1)
    services.comment_add(submission=take, author=cast.rep_a1, body="ありがとうございます。", parent=comment)
    services.comment_add(submission=take, author=cast.manager_a, body="良い間の取り方です。", at_second=0)
    referenced = _last(Action.TAKE_REFERENCE)
    assert referenced.before == {"is_reference": False} and referenced.after == {"is_reference": True}
    assert referenced.actor == cast.coach and len(_entries(Action.TAKE_REFERENCE)) == 1
    coach_said, manager_said = _entries(Action.TAKE_COMMENT)  # the rep's reply is not staff's
    assert coach_said.actor == cast.coach and coach_said.target_type == "coaching.comment"
    assert coach_said.after == {"body": "ここで課題を聞けています。", "at_second": 1, "reply_to": None}
    assert manager_said.actor == cast.manager_a

    own = hand_in(cast.rep_a1, roleplay)
    services.submission_delete(submission=own, by=cast.rep_a1)  # a rep deleting their own take: not staff's
    services.submission_delete(submission=take, by=cast.coach)
    deleted = _entries(Action.TAKE_DELETE)
    assert len(deleted) == 1 and deleted[0].actor == cast.coach
    assert deleted[0].before["rep"] == cast.rep_a1.email and deleted[0].before["roleplay"] == roleplay.title
    _agency_a_only(cast, [referenced, coach_said, manager_said, *deleted])


def test_writing_changing_and_deleting_a_flash_update_draft_is_recorded(cast: Any) -> None:
    from kizuna.updates import services
    from kizuna.updates.tests.conftest import post_update, question

    update = post_update(cast, publish=False, question=question())
    services.update_edit(update=update, editor=cast.author, title="新料金プランのお知らせ", body=update.body)
    services.update_edit(update=update, editor=cast.author, title="新料金プランのお知らせ", body=update.body)
    services.update_delete(update=update)
    made, renamed, deleted = _entries(Action.UPDATE_EDIT)
    assert made.actor == cast.coach and made.after["title"] == "本日から新料金プラン"
    assert made.after["question"]["options"] == ["100円", "300円", "500円"]
    assert renamed.actor == cast.author
    assert renamed.before == {"edit": "update.update", "title": "本日から新料金プラン"}
    assert renamed.after == {"edit": "update.update", "title": "新料金プランのお知らせ"}
    assert deleted.before["title"] == "新料金プランのお知らせ" and deleted.after == {"edit": "update.delete"}
    _principal_only(cast, [made, renamed, deleted])


def test_writing_a_survey_draft_is_recorded(cast: Any) -> None:
    from kizuna.surveys import services

    survey = services.survey_create(author=cast.author, title="満足度", intro="")
    first = services.survey_question_add(survey=survey, kind="nps", text="勧めますか?")
    services.survey_question_add(survey=survey, kind="text", text="ご意見", required=False)
    services.survey_question_move(question=first, direction=1)
    services.survey_update(survey=survey, title="研修の満足度", intro="3分で終わります。")
    services.survey_question_delete(question=first)
    entries = _entries(Action.SURVEY_EDIT)
    assert [e.after["edit"] for e in entries] == [
        "survey.create",
        "question.add",
        "question.add",
        "question.move",
        "survey.update",
        "question.delete",
    ]
    assert entries[0].actor == cast.author and entries[1].after["text"] == "勧めますか?"
    assert (entries[3].before["position"], entries[3].after["position"]) == (1, 2)
    assert entries[4].before == {"edit": "survey.update", "title": "満足度", "intro": ""}
    assert entries[5].before["text"] == "勧めますか?" and entries[5].after == {"edit": "question.delete"}
    _principal_only(cast, entries)


def test_products_topic_tags_and_scenario_values_added_and_renamed_are_recorded(cast: Any) -> None:
    from kizuna.catalog.services import product_create, tag_create, tag_update
    from kizuna.scenarios.services import value_tag_create, value_tag_update

    product_create(name="クラウドPro", slug="cloud-pro")
    added = _last(Action.PRODUCT_CREATE)
    assert added.target_label == "クラウドPro" and added.after == {"name": "クラウドPro", "slug": "cloud-pro"}
    tag = tag_create(kind="topic", slug="pricing", name_ja="料金", name_en="Pricing")
    tag_create(kind="topic", slug="pricing", name_ja="料金", name_en="Pricing")  # exists: no entry
    tag_update(tag=tag, name_ja="料金体系", name_en="Pricing")
    value = value_tag_create(slug="customer-first", name_ja="顧客第一", name_en="Customer first")
    value_tag_update(value_tag=value, name_ja="お客様第一", name_en="Customer first")
    entries = _entries(Action.TAG_EDIT)
    assert [e.after["edit"] for e in entries] == ["tag.create", "tag.update", "value.create", "value.update"]
    assert entries[1].before == {"edit": "tag.update", "name_ja": "料金"}
    assert entries[1].after == {"edit": "tag.update", "name_ja": "料金体系"}
    assert entries[2].target_type == "scenarios.valuetag" and entries[2].after["slug"] == "customer-first"
    assert entries[3].after == {"edit": "value.update", "name_ja": "お客様第一"}
    _principal_only(cast, [added, *entries])


def test_nominating_a_success_story_is_recorded_in_the_reps_agency(cast: Any) -> None:
    from kizuna.stories.tests.helpers import nominated

    story = nominated(cast)
    entry = _last(Action.STORY_NOMINATE)
    assert (entry.actor, entry.target_id, entry.target_label) == (cast.manager_a, str(story.pk), story.headline)
    assert entry.after == {
        "rep": cast.rep_a1.email,
        "headline": "他社に移ったお客様を取り戻した",
        "source": "kpi",
        "source_note": "",
        "status": "nominated",
    }
    _agency_a_only(cast, [entry])


def test_a_refused_change_leaves_no_entry(cast: Any) -> None:
    from kizuna.feedback import services
    from kizuna.feedback.services import FeedbackError
    from kizuna.feedback.tests.conftest import record_voice

    voice = record_voice(cast.rep_a1)
    with pytest.raises(FeedbackError):
        services.field_voice_answer(voice=voice, by=cast.author, answer="   ")
    assert not AuditEntry.objects.filter(action=Action.FEEDBACK_ANSWER).exists()


def test_giving_a_scenario_or_a_flash_update_to_one_rep_is_recorded_as_an_assignment(cast: Any) -> None:
    from kizuna.catalog.services import product_create
    from kizuna.scenarios.services import scenario_assign_rep, scenario_import, scenario_publish
    from kizuna.scenarios.tests.helpers import example_data
    from kizuna.updates.services import update_recipient_add
    from kizuna.updates.tests.conftest import post_update

    product_create(name="クラウド勤怠 KIZUNA", slug="kizuna-attendance")
    scenario = scenario_import(example_data(), author=cast.author)
    scenario_publish(scenario=scenario, publisher=cast.author)
    scenario.refresh_from_db()
    scenario_assign_rep(scenario=scenario, rep=cast.rep_a1, by=cast.admin)
    scenario_assign_rep(scenario=scenario, rep=cast.rep_a1, by=cast.admin)  # given already: no second entry
    update = post_update(cast)
    update_recipient_add(update=update, rep=cast.rep_a2, by=cast.admin)
    played, told = _entries(Action.ASSIGNMENT_CREATE)
    assert (played.actor, played.target_type) == (cast.admin, "scenarios.assignment")
    assert played.after == {"scenario": scenario.title, "to": str(cast.rep_a1), "due_at": None}
    assert (told.target_type, told.after) == (
        "updates.recipient",
        {"flash_update": update.title, "to": str(cast.rep_a2)},
    )
    _agency_a_only(cast, [played, told])


def test_inviting_an_agency_to_a_live_session_and_giving_a_rep_a_requirement_are_recorded(cast: Any) -> None:
    from conftest import publish_course
    from kizuna.certification import services as certification
    from kizuna.certification.tests.helpers import product_certification
    from kizuna.live import services as live
    from kizuna.live.tests.conftest import schedule

    session = schedule(cast)
    live.live_audience_add(session=session, assigned_by=cast.author, team=cast.team_a1, notify=False)
    invited = _last(Action.ASSIGNMENT_CREATE)
    assert (invited.actor, invited.target_type) == (cast.author, "live.liveaudience")
    assert invited.after == {"live_session": session.title, "to": str(cast.team_a1)}

    lesson = [{"kind": "article", "title": "基本", "body": "本文"}]
    basics = publish_course(cast, slug="basics", title="基本コース", lessons=lesson)
    advanced = publish_course(cast, slug="advanced", title="応用コース", lessons=lesson)
    cert = product_certification(cast, basics)
    requirement = certification.requirement_add(
        certification=cert, kind="course", label="応用コース", course=advanced, targeted=True
    )
    certification.requirement_give(requirement=requirement, rep=cast.rep_a1, by=cast.admin)
    certification.requirement_give(requirement=requirement, rep=cast.rep_a1, by=cast.admin)  # given: no entry
    given = _last(Action.ASSIGNMENT_CREATE)
    assert (given.actor, given.target_type) == (cast.admin, "certification.requirementrep")
    assert given.after == {"certification": cert.name, "requirement": "応用コース", "to": str(cast.rep_a1)}
    assert AuditEntry.objects.filter(action=Action.ASSIGNMENT_CREATE, target_type=given.target_type).count() == 1
    _agency_a_only(cast, [invited, given])


def test_importing_a_scenario_is_recorded(cast: Any) -> None:
    from kizuna.catalog.services import product_create
    from kizuna.scenarios.services import scenario_import
    from kizuna.scenarios.tests.helpers import example_data

    product_create(name="クラウド勤怠 KIZUNA", slug="kizuna-attendance")
    scenario = scenario_import(example_data(), author=cast.author)
    scenario_import(example_data(), author=cast.author, replace=True)
    imported, replaced = [e for e in _entries(Action.SCENARIO_EDIT) if e.after["edit"].startswith("scenario.")]
    assert imported.actor == cast.author and imported.target_id == str(scenario.pk)
    assert imported.after["edit"] == "scenario.import" and imported.after["moments"] == scenario.nodes.count()
    assert replaced.after["edit"] == "scenario.replace" and replaced.after["choices"] == imported.after["choices"]
    _principal_only(cast, [imported, replaced])


def test_a_moderator_editing_someone_elses_post_is_recorded_and_an_authors_own_edit_is_not(cast: Any) -> None:
    from kizuna.community import services
    from kizuna.community.tests.conftest import answer, ask

    question = ask(cast.rep_a1)
    reply = answer(question, cast.rep_a2, body="競合は高いです。")
    services.answer_edit(answer=reply, editor=cast.rep_a2, body="競合より安いです。")  # the author's own edit
    services.answer_edit(answer=reply, editor=cast.manager_a, body="価格より価値を伝えましょう。")
    services.question_edit(
        question=question, editor=cast.manager_a, title=question.title, body="具体例もお願いします。"
    )
    edited_answer, edited_question = _entries(Action.POST_EDIT)
    assert edited_answer.actor == cast.manager_a and edited_answer.target_type == "community.answer"
    assert edited_answer.before == {"body": "競合より安いです。"}
    assert edited_answer.after == {"body": "価格より価値を伝えましょう。"}
    assert edited_question.target_type == "community.question" and edited_question.after == {
        "body": "具体例もお願いします。"
    }
    _agency_a_only(cast, [edited_answer, edited_question])


def test_sending_a_sign_in_invitation_is_recorded_in_the_persons_agency(cast: Any, mailoutbox: Any) -> None:
    from kizuna.orgs.services import invitation_send

    invitation_send(user=cast.rep_a1, invited_by=cast.manager_a)
    entry = _last(Action.INVITATION_SEND)
    assert len(mailoutbox) == 1
    assert (entry.actor, entry.target_id) == (cast.manager_a, str(cast.rep_a1.pk))
    assert entry.after["email"] == cast.rep_a1.email and entry.after["valid_days"] >= 1
    _agency_a_only(cast, [entry])
