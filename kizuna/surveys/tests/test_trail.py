"""Sending a survey is recorded in the audit trail, once per agency (or team) it was sent to."""

from typing import Any

from kizuna.audit.models import AuditEntry
from kizuna.surveys import services


def test_sending_a_survey_is_recorded_per_agency_and_team(cast: Any, survey: Any) -> None:
    services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a], teams=[cast.team_b1])
    entries = list(AuditEntry.objects.filter(action="survey.send").order_by("organization_id"))
    assert [(e.organization_id, e.after["team"]) for e in entries] == [
        (cast.partner_a.pk, ""),
        (cast.partner_b.pk, cast.team_b1.name),
    ]
    assert all(e.actor_id == cast.author.pk and e.target_id == str(survey.pk) for e in entries)


def test_a_refused_send_records_nothing(cast: Any, survey: Any) -> None:
    import pytest

    with pytest.raises(services.SurveyError):
        services.survey_send(survey=survey, sent_by=cast.author)
    assert not AuditEntry.objects.filter(action="survey.send").exists()
