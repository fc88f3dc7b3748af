"""Every kind of statement Kizuna makes is served by /xapi/statements as stored, and passes the LRS's own validator
(kizuna/lrs/validation.py, what it demands of anything sent to it) and the stricter checks of what we make
(kizuna/records/tests/xapi_validation.py: no null, RFC 4122 variant-2 ids and registrations, an authority, no
empty extensions or parent, the Video Profile's shape): article, video (the HLS player's played / paused / seeked,
the same statements), an offline event stored late, a SCORM package's commits, a cmi5 AU's session with our LMS's
launched and satisfied, an experiment's draw, a voided statement, and a statement fed from outside."""

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from django.test import Client
from django.utils import timezone

from conftest import publish_course
from kizuna.lrs import validation
from kizuna.lrs.http import XapiError
from kizuna.lrs.mirror import own_statements_mirror_all
from kizuna.records import time_reports
from kizuna.records.models import Statement
from kizuna.records.services import statement_to_xapi
from kizuna.records.tests.xapi_validation import xapi_problems

ADL = "http://adlnet.gov/expapi/verbs/"
VIDEO = "https://w3id.org/xapi/video/verbs/"


def _problems(data: dict[str, Any]) -> list[str]:
    problems = xapi_problems(data)
    try:
        validation.statement(data, "1.0.3")
    except XapiError as error:
        problems.append(f"LRS validator: {error}")
    return problems


def _article(cast: Any, article_course: Any) -> None:
    from kizuna.records import services as records

    first, second = article_course.latest_version.lessons.order_by("position")
    records.lesson_launch(rep=cast.rep_a1, lesson=first)
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=first, seconds=42)
    # An offline event, sent by the phone's outbox two days late (records.late_event_timestamp accepts 14 days).
    late = records.late_event_timestamp(timezone.now() - timedelta(days=2))
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=second, seconds=30, timestamp=late)
    records.lesson_complete(rep=cast.rep_a1, lesson=first)
    done = records.lesson_complete(rep=cast.rep_a1, lesson=second)
    assert done is not None
    records.statement_void(actor=cast.rep_a1, statement_id=done.id)


def _video(cast: Any) -> None:
    from kizuna.media.models import Video
    from kizuna.records import services as records
    from kizuna.records import vocab

    key = uuid.uuid4()
    video = Video.objects.create(
        key=key,
        title="商談",
        uploaded_by=cast.author,
        original=f"videos/{key}/original",
        mp4=f"videos/{key}/video.mp4",
        status=Video.Status.READY,
        duration_seconds=100,
        ready_at=timezone.now(),
    )
    course = publish_course(cast, slug="video", title="動画", lessons=[{"kind": "video", "title": "V", "video": video}])
    lesson = course.latest_version.lessons.get()
    session = str(uuid.uuid4())
    common = {"rep": cast.rep_a1, "lesson": lesson, "session_id": session}
    records.video_statement_record(verb=vocab.INITIALIZED, **common)
    records.video_statement_record(verb=vocab.VIDEO_PLAYED, time=0.0, **common)
    records.video_statement_record(verb=vocab.VIDEO_PAUSED, time=40.0, segments="0[.]40", seconds=40, **common)
    records.video_statement_record(verb=vocab.VIDEO_SEEKED, time_from=40.0, time=45.0, **common)
    records.video_statement_record(verb=vocab.VIDEO_PLAYED, time=45.0, **common)
    records.video_statement_record(verb=vocab.TERMINATED, time=100.0, segments="45[.]100", seconds=55, **common)


def _package(cast: Any) -> None:
    import io

    from kizuna.packages import runtime
    from kizuna.packages.services import package_import
    from kizuna.packages.tests.packages import package_zip

    package = package_import(upload=io.BytesIO(package_zip()), author=cast.author)
    course = publish_course(
        cast, slug="scorm", title="SCORM", lessons=[{"kind": "package", "title": "P", "content_id": package.pk}]
    )
    lesson, sco, session, start = course.latest_version.lessons.get(), package.scos.get(), uuid.uuid4(), timezone.now()
    data = {
        "cmi.core.lesson_status": "passed",
        "cmi.core.score.raw": "90",
        "cmi.core.score.max": "100",
        "cmi.core.session_time": "00:02:05",
        "cmi.core.exit": "suspend",
        "cmi.interactions.0.id": "q-price",
        "cmi.interactions.0.type": "choice",
        "cmi.interactions.0.student_response": "a",
        "cmi.interactions.0.result": "correct",
        "cmi.interactions.0.correct_responses.0.pattern": "a",
    }
    runtime.sco_commit(rep=cast.rep_a1, lesson=lesson, sco=sco, session_id=session, data={}, now=start)
    runtime.sco_commit(
        rep=cast.rep_a1, lesson=lesson, sco=sco, session_id=session, data=data, terminate=True, now=start
    )


def _cmi5(cast: Any) -> None:
    import io

    from kizuna.cmi5 import launching
    from kizuna.cmi5.services import cmi5_course_import
    from kizuna.cmi5.tests.courses import cmi5_zip
    from kizuna.cmi5.tests.test_launch import Au

    cmi5 = cmi5_course_import(upload=io.BytesIO(cmi5_zip()), author=cast.author)
    course = publish_course(
        cast, slug="cmi5", title="cmi5", lessons=[{"kind": "cmi5", "title": "C", "content_id": cmi5.pk}]
    )
    _session, url = launching.cmi5_launch(
        rep=cast.rep_a1,
        lesson=course.latest_version.lessons.get(),
        au=cmi5.aus.get(),
        site="http://testserver",
        return_url="http://testserver/back",
    )
    au = Au(Client(), url)
    au.start()
    sent = au.send(
        au.statement("initialized"),
        au.statement("completed", {"completion": True, "duration": "PT1M"}),
        au.statement("passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT1M"}),
        au.statement("terminated", {"duration": "PT2M"}),
    )
    assert sent.status_code == 200, sent.content


def _experiment(cast: Any) -> None:
    from kizuna.kpis import services as kpis
    from kizuna.kpis.tests.rollout_builders import THIS, reps_with_history, unassigned_course

    reps_with_history(cast, reps=4, months=2)
    design = kpis.ExperimentDesign(metric="appointment_rate", design="holdout", start=THIS, period=3)
    kpis.experiment_start(
        course=unassigned_course(cast), partners=[cast.partner_a], design=design, started_by=cast.admin, seed=7
    )


def _from_outside(cast: Any, principal_lrs: Any, article_course: Any) -> None:
    from kizuna.catalog.selectors import course_iri

    st = {
        "actor": {"mbox": f"mailto:{cast.rep_a2.email}"},
        "verb": {"id": ADL + "completed"},
        "object": {"id": course_iri(article_course)},
    }
    assert principal_lrs.post("/xapi/statements", st).status_code == 200


def _served(lrs: Any) -> list[dict[str, Any]]:
    served, params = [], {"limit": 200}
    while True:
        page = lrs.get("/xapi/statements", params).json()
        served += page["statements"]
        if not page["more"]:
            return served
        params = {"more": unquote(page["more"].split("more=", 1)[1])}


def test_every_kind_of_statement_we_make_is_served_valid(cast, article_course, principal_lrs):
    _article(cast, article_course)
    _video(cast)
    _package(cast)
    _cmi5(cast)
    _experiment(cast)
    _from_outside(cast, principal_lrs, article_course)
    ours = list(Statement.objects.select_related("actor").order_by("seq"))
    own_problems = {str(st.id): (st.verb, p) for st in ours if (p := _problems(statement_to_xapi(st)))}
    assert own_problems == {}
    own_statements_mirror_all(now=timezone.now() + timedelta(minutes=5))
    served = _served(principal_lrs)
    served_problems = {st["id"]: (st["verb"]["id"], p) for st in served if (p := _problems(st))}
    assert served_problems == {}
    verbs = {st["verb"]["id"].rsplit("/", 1)[-1] for st in served}
    # voided statements are left out of the list; the rest of every kind is there
    expected = {"launched", "progressed", "completed", "initialized", "played", "paused", "seeked", "terminated"}
    expected |= {"answered", "passed", "suspended", "satisfied", "allocated"}
    assert expected <= verbs, expected - verbs
    # Every own statement is served, but the voided completion, which only `voidedStatementId` returns.
    missing = {str(st.id) for st in ours} - {st["id"] for st in served}
    assert len(missing) == 1
    voided = principal_lrs.get("/xapi/statements", {"voidedStatementId": missing.pop()}).json()
    assert _problems(voided) == []
