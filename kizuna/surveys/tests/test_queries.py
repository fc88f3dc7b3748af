"""The rep's survey list and the results page keep a fixed number of queries, however many responses."""

import uuid

from kizuna.surveys import services

from .conftest import answers, build_survey


def test_the_rep_list_and_the_results_do_not_grow_with_surveys_or_responses(
    cast, signed_in, django_assert_max_num_queries
):
    surveys = [build_survey(cast, title=f"アンケート{n}") for n in range(5)]
    for survey in surveys:
        services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a, cast.partner_b])
        for rep in (cast.rep_a1, cast.rep_a2, cast.rep_b1):
            version = survey.latest_version
            services.survey_response_submit(rep=rep, version=version, data=answers(version), statement_id=uuid.uuid4())
    rep = signed_in(cast.rep_a1)
    with django_assert_max_num_queries(8):
        assert rep.get("/surveys/").status_code == 200
    rep.logout()
    admin = signed_in(cast.admin)
    with django_assert_max_num_queries(10):
        assert admin.get(f"/surveys/{surveys[0].pk}/results/").status_code == 200
