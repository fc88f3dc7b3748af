"""Each kind of change made by staff or a manager leaves one entry: who, from where, what, before and after."""

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, transaction
from django.test import RequestFactory

from kizuna.audit.middleware import AuditRequestMiddleware
from kizuna.audit.models import AuditEntry
from kizuna.ops.trail import Action, audit_record


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


def test_adding_a_person_records_who_added_them_and_in_which_agency(cast):
    from kizuna.orgs.services import person_create

    person = person_create(
        name="新人 一郎",
        email="new@partner-a.example",
        organization=cast.partner_a,
        role="rep",
        team=cast.team_a1,
        invited_by=cast.manager_a,
        send_invitation=False,
    )
    entry = _last(Action.PERSON_CREATE)
    assert entry.actor == cast.manager_a
    assert entry.organization_id == cast.partner_a.pk
    assert entry.target_id == str(person.pk) and entry.target_type == "accounts.user"
    assert entry.after["role"] == "rep" and entry.after["team"] == "東京第1チーム"


def test_changing_a_role_records_only_what_changed_before_and_after(cast):
    from kizuna.orgs.services import person_update

    person_update(
        person=cast.rep_a1,
        updated_by=cast.admin,
        name=cast.rep_a1.name,
        team=cast.team_a1,
        role="manager",
        is_active=True,
    )
    entry = _last(Action.PERSON_UPDATE)
    assert entry.before == {"role": "rep"} and entry.after == {"role": "manager"}
    assert entry.actor == cast.admin and entry.organization_id == cast.partner_a.pk


def test_deactivating_a_person_is_recorded(cast):
    from kizuna.orgs.services import person_update

    person_update(
        person=cast.rep_a2, updated_by=cast.admin, name=cast.rep_a2.name, team=cast.team_a2, role="rep", is_active=False
    )
    assert _last(Action.PERSON_UPDATE).after == {"active": False}


def test_a_refused_change_leaves_no_entry(cast):
    from kizuna.orgs.services import OrgsError, person_update

    with pytest.raises(OrgsError):
        person_update(person=cast.rep_a1, updated_by=cast.admin, name="x", team=None, role="admin", is_active=True)
    assert not AuditEntry.objects.filter(action=Action.PERSON_UPDATE).exists()


def test_the_csv_import_records_each_person_it_creates(cast):
    import io

    from kizuna.orgs.services import people_import_csv

    data = "name,email,partner,team,role\n山田 太郎,taro@partner-a.example,partner-a,,rep\n佐藤 花子,hanako@partner-b.example,partner-b,,manager\n"
    result = people_import_csv(file=io.BytesIO(data.encode()), invited_by=cast.admin, send_invitations=False)
    assert len(result.created) == 2
    entries = AuditEntry.objects.filter(action=Action.PERSON_CREATE).order_by("pk")
    assert [(e.organization_id, e.after["role"]) for e in entries] == [
        (cast.partner_a.pk, "rep"),
        (cast.partner_b.pk, "manager"),
    ]


def test_sharing_settings_record_their_old_and_new_values(cast):
    from kizuna.orgs.sharing import sharing_policy_set

    sharing_policy_set(community_names="pseudonym", ranking_names="agency", review_names="real")
    entry = _last(Action.SHARING_UPDATE)
    assert entry.before["community"] == "real" and entry.after["community"] == "pseudonym"
    assert "rankings" not in entry.after  # unchanged
    assert entry.organization_id is None


def test_publishing_and_assigning_a_course_are_recorded(cast, article_course):
    published = _last(Action.COURSE_PUBLISH)
    assert published.actor == cast.author and published.after["version"] == 1
    assigned = _last(Action.ASSIGNMENT_CREATE)
    assert assigned.actor == cast.admin and assigned.organization_id == cast.partner_a.pk
    assert assigned.after["required"] is True


def test_changing_and_removing_an_assignment_are_recorded(cast, article_course):
    from kizuna.catalog.models import Assignment
    from kizuna.catalog.services import assignment_delete, assignment_update

    assignment = Assignment.objects.get(course=article_course)
    assignment_update(assignment=assignment, assigned_by=cast.admin, required=False, due_at=None)
    assert _last(Action.ASSIGNMENT_UPDATE).after == {"required": False, "due_at": None}
    assignment_delete(assignment=assignment)
    removed = _last(Action.ASSIGNMENT_DELETE)
    assert removed.before["course"] == article_course.title and removed.organization_id == cast.partner_a.pk


def test_writing_and_accepting_an_agreement_are_recorded(cast):
    from kizuna.agreements.services import agreement_version_accept, agreement_version_create

    version = agreement_version_create(
        partner=cast.partner_a,
        created_by=cast.admin,
        effective_from=date.today() + timedelta(days=30),
        min_minutes_per_month=60,
        counts_as_work=False,
        work_cap_minutes_per_month=None,
        evaluation_text="",
        share_rankings=True,
        share_reviews=False,
        share_community=True,
        manager_may_export=True,
        retention_days=365,
        courses=[],
    )
    made = _last(Action.AGREEMENT_CREATE)
    assert made.after["min_minutes_per_month"] == 60 and made.organization_id == cast.partner_a.pk
    agreement_version_accept(version=version, manager=cast.manager_a)
    accepted = _last(Action.AGREEMENT_ACCEPT)
    assert accepted.actor == cast.manager_a and accepted.organization_id == cast.partner_a.pk


def test_certification_changes_and_reopening_are_recorded(cast, article_course):
    from kizuna.certification.services import certification_create, certification_reopen, certification_update

    cert = certification_create(slug="basic", name="基本認定", created_by=cast.admin, validity_days=365)
    assert _last(Action.CERTIFICATION_CREATE).after["validity_days"] == 365
    certification_update(certification=cert, name="基本認定", validity_days=180)
    assert _last(Action.CERTIFICATION_UPDATE).before == {"validity_days": 365}
    from kizuna.certification.services import requirement_add

    requirement = requirement_add(certification=cert, kind="course", label="基本", course=article_course)
    certification_reopen(certification=cert, requirements=[requirement], reason="製品改定", reopened_by=cast.admin)
    assert _last(Action.CERTIFICATION_REOPEN).after["reason"] == "製品改定"


def test_issuing_and_revoking_a_token_are_recorded_without_the_secret(cast):
    from kizuna.api.services import api_token_create, api_token_revoke

    token, raw = api_token_create(user=cast.manager_a, name="CRM", created_by=cast.admin)
    issued = _last(Action.TOKEN_CREATE)
    assert issued.organization_id == cast.partner_a.pk and issued.actor == cast.admin
    assert raw not in str(issued.after) and raw not in issued.target_label
    api_token_revoke(token=token)
    api_token_revoke(token=token)  # twice: one entry
    assert AuditEntry.objects.filter(action=Action.TOKEN_REVOKE).count() == 1


def test_webhook_secrets_are_never_written_into_the_trail(cast):
    from kizuna.certification.webhooks import webhook_endpoint_create, webhook_secret_rotate

    endpoint, secret = webhook_endpoint_create(
        url="https://crm.example/hook", events=["entitlement.granted"], created_by=cast.admin
    )
    rotated = webhook_secret_rotate(endpoint=endpoint)
    for entry in AuditEntry.objects.filter(action__startswith="webhook."):
        assert secret not in str(entry.after) and rotated not in str(entry.after)
    assert _last(Action.WEBHOOK_SECRET_ROTATE).target_label == "https://crm.example/hook"


def test_point_rule_changes_are_recorded(cast):
    from kizuna.gamification.models import PointRule
    from kizuna.gamification.services import defaults_ensure, rules_save

    defaults_ensure()

    rule = PointRule.objects.order_by("kind").first()
    assert rule is not None
    rules_save(
        rules=[{"kind": rule.kind, "points": rule.points + 5, "daily_cap": rule.daily_cap, "active": rule.active}],
        levels=[(0, "新人", "Newcomer")],
    )
    entry = _last(Action.POINT_RULES_UPDATE)
    assert entry.after[f"rule:{rule.kind}"][0] == rule.points + 5


def test_a_manager_exporting_their_agency_report_is_recorded(cast, signed_in):
    response = signed_in(cast.manager_a).get("/partner/dashboard.csv")
    assert response.status_code == 200
    entry = _last(Action.DATA_EXPORT)
    assert entry.actor == cast.manager_a and entry.organization_id == cast.partner_a.pk
    assert entry.after["file"].startswith("progress-partner-a")


def test_erasing_a_person_is_recorded_without_their_name(cast):
    from kizuna.privacy.services import person_erase

    cast.rep_a2.is_active = False
    cast.rep_a2.save()
    person_erase(person=cast.rep_a2, by=cast.admin, reason="本人の依頼", confirmation=cast.rep_a2.email)
    entry = _last(Action.PERSON_ERASE)
    assert entry.organization_id == cast.partner_a.pk and entry.actor == cast.admin
    assert "rep2@partner-a.example" not in entry.target_label and "営業 二郎" not in entry.target_label


def test_it_records_the_address_the_request_came_from(cast):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    request.user = cast.admin

    def view(request):
        audit_record(action=Action.TEAM_CREATE, target_label="x")
        from django.http import HttpResponse

        return HttpResponse()

    AuditRequestMiddleware(view)(request)
    entry = _last(Action.TEAM_CREATE)
    assert entry.ip == "203.0.113.7" and entry.actor == cast.admin


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(cast):
    entry = audit_record(action=Action.TEAM_CREATE, actor=cast.admin, target_label="x")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()


def test_the_database_refuses_to_change_an_entry(cast):
    entry = audit_record(action=Action.TEAM_CREATE, actor=cast.admin, target_label="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(target_label="forged")
    entry.refresh_from_db()
    assert entry.target_label == "x"


def test_the_database_refuses_to_delete_an_entry_on_postgresql(cast, settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE open for the test flush (see the migration)")
    entry = audit_record(action=Action.TEAM_CREATE, actor=cast.admin, target_label="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_publishing_a_survey_is_recorded_with_its_version(cast):
    from kizuna.surveys import services as surveys

    survey = surveys.survey_create(author=cast.author, title="満足度")
    surveys.survey_question_add(survey=survey, kind="likert", text="満足しましたか?")
    surveys.survey_publish(survey=survey, publisher=cast.author)
    entry = _last(Action.CONTENT_PUBLISH)
    assert entry.actor == cast.author and entry.target_label == "満足度"
    assert entry.after == {"kind": "survey", "version": 1} and entry.organization_id is None
