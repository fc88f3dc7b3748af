"""The kinds of change the trail did not yet record: SSO configuration, SCIM and LRS credentials, teams, flash updates
and roleplays published and assigned, incentive rules, badges, certifications granted and revoked, downloads."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kizuna.audit.models import Action, AuditEntry


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


def _entire_trail() -> str:
    return " ".join(f"{e.target_label} {e.before} {e.after}" for e in AuditEntry.objects.all())


def test_an_identity_provider_added_changed_and_removed_is_recorded_without_its_secret(cast: Any) -> None:
    from kizuna.sso.services import identity_provider_delete, identity_provider_save

    values = {
        "organization": cast.partner_a,
        "name": "Entra ID",
        "discovery_url": "https://login.microsoftonline.com/t/v2.0",
        "client_id": "cid",
        "email_domains": "partner-a.example",
        "sso_required": False,
        "role_claim": "roles",
        "team_claim": "",
    }
    provider = identity_provider_save(provider=None, client_secret="first-Secret-1", **values)
    added = _last(Action.SSO_PROVIDER_CREATE)
    assert added.organization_id == cast.partner_a.pk
    assert added.after["domains"] == ["partner-a.example"] and added.after["protocol"] == "openid_connect"
    identity_provider_save(provider=provider, client_secret="second-Secret-2", **{**values, "sso_required": True})
    changed = _last(Action.SSO_PROVIDER_UPDATE)
    assert changed.before["sso_required"] is False and changed.after["sso_required"] is True
    assert changed.after == {"sso_required": True, "client_secret": "changed"}  # said, never shown
    identity_provider_save(provider=provider, client_secret="", **{**values, "sso_required": True})
    assert AuditEntry.objects.filter(action=Action.SSO_PROVIDER_UPDATE).count() == 1  # nothing changed: no entry
    identity_provider_delete(provider=provider)
    assert _last(Action.SSO_PROVIDER_DELETE).before["name"] == "Entra ID"
    assert "Secret" not in _entire_trail()


def test_a_saml_provider_is_recorded_with_its_certificate_by_fingerprint(cast: Any) -> None:
    from kizuna.sso.services import saml_provider_save
    from kizuna.sso.tests.saml_idp import SamlIdP

    idp = SamlIdP(entity_id="https://idp.partner-b.example/")
    saml_provider_save(
        provider=None,
        organization=cast.partner_b,
        name="Okta",
        metadata_xml="",
        entity_id=idp.entity_id,
        sso_url=idp.sso_url,
        x509cert=idp.cert,
        email_domains="partner-b.example",
        sso_required=True,
        role_claim="role",
        team_claim="",
    )
    entry = _last(Action.SSO_PROVIDER_CREATE)
    assert (entry.organization_id, entry.after["entity_id"], len(entry.after["certificate_sha256"])) == (
        cast.partner_b.pk,
        idp.entity_id,
        64,
    )


def test_a_scim_token_issued_and_revoked_is_recorded_by_its_prefix_only(cast: Any) -> None:
    from kizuna.scim.services import scim_token_create, scim_tokens_revoke

    token, raw = scim_token_create(organization=cast.partner_a, name="Entra provisioning")
    issued = _last(Action.SCIM_TOKEN_CREATE)
    assert issued.organization_id == cast.partner_a.pk and issued.after["prefix"] == raw[:16]
    assert scim_tokens_revoke(organization=cast.partner_a, prefix=raw[:12]) == 1
    revoked = _last(Action.SCIM_TOKEN_REVOKE)
    assert revoked.target_id == str(token.pk) and revoked.before == {"revoked_at": None}
    assert scim_tokens_revoke(organization=cast.partner_a, prefix=raw[:12]) == 0
    assert AuditEntry.objects.filter(action=Action.SCIM_TOKEN_REVOKE).count() == 1
    assert raw not in _entire_trail()


def test_lrs_credentials_issued_and_deactivated_are_recorded_without_the_secret(cast: Any) -> None:
    from kizuna.lrs.services import lrs_credential_create, lrs_credential_deactivate

    credential, secret = lrs_credential_create(name="Agency tool", partner_code="partner-a")
    issued = _last(Action.LRS_CREDENTIAL_CREATE)
    assert issued.organization_id == cast.partner_a.pk and issued.after["key"] == credential.key
    lrs_credential_deactivate(credential=credential)
    lrs_credential_deactivate(credential=credential)
    assert AuditEntry.objects.filter(action=Action.LRS_CREDENTIAL_DEACTIVATE).count() == 1
    assert secret not in _entire_trail()
    lrs_credential_create(name="Company LRS")
    assert _last(Action.LRS_CREDENTIAL_CREATE).organization_id is None


def test_renaming_a_team_and_changing_its_members_are_recorded(cast: Any) -> None:
    from kizuna.orgs.services import team_members_set, team_rename

    team_rename(team=cast.team_a2, name="関西チーム")
    renamed = _last(Action.TEAM_UPDATE)
    assert (renamed.before, renamed.after, renamed.organization_id) == (
        {"name": "大阪チーム"},
        {"name": "関西チーム"},
        cast.partner_a.pk,
    )
    team_members_set(team=cast.team_a2, people=[cast.rep_a1])
    moved = _last(Action.TEAM_UPDATE)
    assert moved.before == {"left": [cast.rep_a2.email]} and moved.after == {"joined": [cast.rep_a1.email]}


def test_publishing_a_flash_update_is_recorded(cast: Any) -> None:
    from kizuna.updates.services import update_create, update_publish

    update = update_create(author=cast.coach, title="新料金のお知らせ", body="来月から改定します。")
    update_publish(update=update, publisher=cast.coach, notify=False)
    entry = _last(Action.CONTENT_PUBLISH)
    assert (entry.actor, entry.target_label, entry.after["kind"]) == (cast.coach, "新料金のお知らせ", "flash_update")


def test_publishing_assigning_and_unassigning_a_roleplay_are_recorded(cast: Any) -> None:
    from kizuna.coaching.services import roleplay_target_remove
    from kizuna.coaching.tests.helpers import roleplay_for

    roleplay = roleplay_for(cast, target={"team": cast.team_a1})
    assert _last(Action.CONTENT_PUBLISH).after == {"kind": "roleplay", "status": roleplay.status}
    assigned = _last(Action.ASSIGNMENT_CREATE)
    assert (assigned.actor, assigned.organization_id, assigned.after["team"]) == (
        cast.coach,
        cast.partner_a.pk,
        cast.team_a1.name,
    )
    roleplay_target_remove(target=roleplay.targets.get())
    assert _last(Action.ASSIGNMENT_DELETE).before["kind"] == "roleplay"


def test_incentive_rules_added_and_ended_are_recorded_for_their_agency(cast: Any) -> None:
    from kizuna.incentives.services import incentive_rule_create, incentive_rule_end

    rule = incentive_rule_create(
        partner=cast.partner_b,
        kind="course_on_time",
        amount_yen=5000,
        effective_from=date.today() - timedelta(days=10),
        created_by=cast.admin,
    )
    added = _last(Action.INCENTIVE_RULE_CREATE)
    assert (added.actor, added.organization_id, added.after["amount_yen"]) == (cast.admin, cast.partner_b.pk, 5000)
    incentive_rule_end(rule=rule)
    ended = _last(Action.INCENTIVE_RULE_END)
    assert ended.before["effective_to"] is None and ended.after["effective_to"] == date.today().isoformat()
    later = incentive_rule_create(
        partner=cast.partner_b,
        kind="course_on_time",
        amount_yen=100,
        effective_from=date.today() + timedelta(days=10),
        created_by=cast.admin,
    )
    incentive_rule_end(rule=later)
    assert _last(Action.INCENTIVE_RULE_END).after == {"removed": True}


def test_saving_a_badge_records_what_changed(cast: Any) -> None:
    from kizuna.gamification.models import Badge
    from kizuna.gamification.services import badge_save

    data = {
        "slug": "streak-7",
        "name_ja": "7日連続",
        "name_en": "7 days",
        "description_ja": "7日続けて学びました。",
        "description_en": "Learned 7 days in a row.",
        "criterion": Badge.Criterion.STREAK,
        "amount": 7,
    }
    badge = badge_save(data=data)
    assert _last(Action.BADGE_SAVE).after["amount"] == 7
    badge_save(badge=badge, data={**data, "amount": 10})
    changed = _last(Action.BADGE_SAVE)
    assert (changed.before, changed.after) == ({"amount": 7}, {"amount": 10})


def test_a_certification_granted_and_revoked_is_recorded_once_in_the_reps_agency(
    cast: Any, article_course: Any
) -> None:
    from kizuna.certification.services import certification_reopen
    from kizuna.certification.tests.helpers import finish_course, product_certification
    from kizuna.records.projections import rebuild_everything

    cert = product_certification(cast, article_course)
    assert _last(Action.CERTIFICATION_UPDATE).after["requirements_added"][0]["kind"] == "course"
    finish_course(cast.rep_a1, article_course)
    granted = _last(Action.CERTIFICATION_GRANT)
    assert (granted.organization_id, granted.after["status"], granted.after["why"]) == (
        cast.partner_a.pk,
        "certified",
        "earned",
    )
    assert cast.rep_a1.name in granted.target_label
    certification_reopen(
        certification=cert, requirements=list(cert.requirements.all()), reason="製品改定", reopened_by=cast.admin
    )
    revoked = _last(Action.CERTIFICATION_REVOKE)
    assert (revoked.before, revoked.after["why"], revoked.organization_id) == (
        {"status": "certified"},
        "certification_reopened",
        cast.partner_a.pk,
    )
    rebuild_everything()  # derived again from the statements: no second grant or revoke in the trail
    assert AuditEntry.objects.filter(action=Action.CERTIFICATION_GRANT).count() == 1
    assert AuditEntry.objects.filter(action=Action.CERTIFICATION_REVOKE).count() == 1


def test_downloading_survey_results_and_the_field_voice_report_is_recorded(cast: Any, signed_in: Any) -> None:
    from kizuna.surveys.models import Survey
    from kizuna.surveys.services import survey_create, survey_publish, survey_question_add, survey_send

    survey = survey_create(author=cast.author, title="研修の満足度")
    survey_question_add(survey=survey, kind="nps", text="おすすめしますか?")
    survey_publish(survey=survey, publisher=cast.author)
    survey = Survey.objects.get(pk=survey.pk)
    survey_send(survey=survey, sent_by=cast.admin, partners=[cast.partner_a], notify=False)
    client = signed_in(cast.manager_a)
    response = client.get(f"/surveys/{survey.pk}/results.csv")
    assert response.status_code == 200
    entry = _last(Action.DATA_EXPORT)
    assert (entry.actor, entry.organization_id) == (cast.manager_a, cast.partner_a.pk)
    assert entry.after["file"].startswith(f"survey-{survey.pk}-")
    client = signed_in(cast.coach)
    today = timezone.localdate()
    response = client.get(f"/field-voice/report.csv?since={today - timedelta(days=30)}&until={today}")
    assert response.status_code == 200
    entry = _last(Action.DATA_EXPORT)
    assert (entry.actor, entry.organization_id) == (cast.coach, None)
    assert entry.after["file"].startswith("field-voice-")
