"""The response projection: rebuilt from the statements, it equals what the live path stored."""

import uuid

from kizuna.surveys import services
from kizuna.surveys.models import SurveyResponse
from kizuna.surveys.projections import rebuild

from .conftest import answers

FIELDS = ("version_id", "rep_id", "partner_id", "lesson_id", "statement_id", "answers", "submitted_at")


def test_the_rebuild_equals_the_live_result(cast, survey):
    services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a, cast.partner_b])
    version = survey.latest_version
    for rep, nps in ((cast.rep_a1, "10"), (cast.rep_a2, "2"), (cast.rep_b1, "7")):
        services.survey_response_submit(
            rep=rep, version=version, data=answers(version, nps=nps, text=rep.name), statement_id=uuid.uuid4()
        )
    live = sorted(SurveyResponse.objects.values_list(*FIELDS))
    assert rebuild() == 3
    assert sorted(SurveyResponse.objects.values_list(*FIELDS)) == live


def test_a_partners_rebuild_gives_the_full_rebuilds_rows_and_leaves_the_other_agency(cast, survey):
    from kizuna.records.tests.partner_rebuild import Table, assert_partner_rebuild, rep_rows

    services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a, cast.partner_b])
    version = survey.latest_version
    for rep in (cast.rep_a1, cast.rep_a2, cast.rep_b1):
        data = answers(version, nps="8", text=rep.name)
        services.survey_response_submit(rep=rep, version=version, data=data, statement_id=uuid.uuid4())
    assert_partner_rebuild(cast, ("survey_responses",), [Table(SurveyResponse, FIELDS, rep_rows())])
