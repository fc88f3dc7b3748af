"""Survey results: per question and per agency, NPS, the CSV export, and who may see whose answers."""

import csv
import io
import uuid

from kizuna.surveys import selectors, services

from .conftest import answers


def _answer(rep, version, **kwargs):
    services.survey_response_submit(
        rep=rep, version=version, data=answers(version, **kwargs), statement_id=uuid.uuid4()
    )


def _sent_to_both(cast, survey):
    services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a, cast.partner_b])
    version = survey.latest_version
    _answer(cast.rep_a1, version, nps="10", likert="5", text="A社の声")
    _answer(cast.rep_a2, version, nps="3", likert="3")
    _answer(cast.rep_b1, version, nps="8", likert="4", text="B社だけの秘密")
    return version


def test_nps_is_promoters_minus_detractors():
    assert selectors.nps_score([10, 9, 8, 7, 0]) == 20
    assert selectors.nps_score([0, 6]) == -100
    assert selectors.nps_score([]) is None


def test_results_per_question_and_per_agency(cast, survey):
    version = _sent_to_both(cast, survey)
    results = selectors.survey_results(version=version, partner_ids=None)
    likert, nps, single = results[0], results[1], results[2]
    assert likert.count == 3 and likert.average == 4.0
    assert nps.nps == 0 and (nps.promoters, nps.passives, nps.detractors) == (1, 1, 1)
    assert single.bars[0] == ("製品", 3, 100)
    rows = {r.partner.pk: r for r in selectors.results_per_partner(version=version, partner_ids=None)}
    assert rows[cast.partner_a.pk].responses == 2 and rows[cast.partner_a.pk].figures == [4.0, 0]
    assert rows[cast.partner_b.pk].figures == [4.0, 0]


def test_a_manager_sees_only_their_agency_and_never_another_agencys_free_text(cast, survey, signed_in):
    _sent_to_both(cast, survey)
    page = signed_in(cast.manager_a).get(f"/surveys/{survey.pk}/results/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "A社の声" in body and "B社だけの秘密" not in body and "パートナーB株式会社" not in body
    export = signed_in(cast.manager_a).get(f"/surveys/{survey.pk}/results.csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3 and all(row[1] == "パートナーA株式会社" for row in rows[1:])
    assert "B社だけの秘密" not in text


def test_the_principal_sees_every_agency_and_exports_every_response(cast, survey, signed_in):
    _sent_to_both(cast, survey)
    body = signed_in(cast.author).get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "B社だけの秘密" in body and "NPS 0" in body
    export = signed_in(cast.admin).get(f"/surveys/{survey.pk}/results.csv?version=1")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][2] == "研修は役に立ちましたか?" and len(rows) == 4


def test_reps_and_other_agencies_managers_get_404_for_results(cast, sent_survey, signed_in):
    url = f"/surveys/{sent_survey.pk}/results/"
    assert signed_in(cast.manager_b).get(url).status_code == 404
    assert signed_in(cast.rep_a1).get(url).status_code == 404
    assert signed_in(cast.manager_b).get(url.replace("results/", "results.csv")).status_code == 404
