"""The screens over HTTP: posting from the form, reading and confirming, the report, reminders, and refusals."""

from datetime import timedelta

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from kizuna.records.models import Statement
from kizuna.updates import selectors, services, vocab
from kizuna.updates.models import FlashUpdate, MailSent, Receipt

from .conftest import joined_days_ago, post_update, question


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


FORM = {
    "title": "競合A社がキャンペーン開始",
    "body": "A社が初月無料を始めました。**切り返しトーク**を確認してください。",
    "audience": "all",
    "question_text": "「A社は初月無料ですよ」と言われたら?",
    "option_1": "値引きを約束する",
    "option_2": "30日間の無料トライアルと導入支援を伝える",
    "option_3": "",
    "option_4": "",
    "question_correct": "2",
    "explanation": "当社も30日無料。差は導入支援です。",
}


def test_a_coach_publishes_from_the_form_and_the_audience_is_e_mailed(cast, django_capture_on_commit_callbacks):
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.coach).post("/updates/new/", {**FORM, "ack_due_on": due, "action": "publish"})
    update = FlashUpdate.objects.get()
    assert response.status_code == 302 and response.url == update.get_absolute_url()
    assert update.is_published and update.created_by == cast.coach
    assert timezone.localtime(update.ack_due_at).date().isoformat() == due
    assert update.question.options == [FORM["option_1"], FORM["option_2"]] and update.question.correct == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in (cast.rep_a1, cast.rep_a2, cast.rep_b1))
    message = next(m for m in mail.outbox if m.to == [cast.rep_a1.email])
    assert message.subject == "速報: 競合A社がキャンペーン開始"
    assert f"/updates/{update.pk}/" in message.body and "営業 一子" in message.body
    assert MailSent.objects.filter(kind="published").count() == 3


def test_a_draft_is_saved_without_e_mails_and_only_the_principal_sees_it(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.coach).post("/updates/new/", {**FORM, "action": "draft"})
    update = FlashUpdate.objects.get()
    assert response.url == f"/updates/{update.pk}/edit/"
    assert not update.is_published and not mail.outbox
    assert login(cast.rep_a1).get(update.get_absolute_url()).status_code == 404
    assert login(cast.manager_a).get(update.get_absolute_url()).status_code == 404
    assert login(cast.author).get(update.get_absolute_url()).status_code == 200
    # Publishing it later from the edit page.
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.coach).post(f"/updates/{update.pk}/edit/", {**FORM, "action": "publish"})
    update.refresh_from_db()
    assert update.is_published and len(mail.outbox) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "タイトルを入力してください"),
        ({"audience": "selected"}, "パートナー"),
        ({"question_correct": "3"}, "正解"),
        ({"question_text": ""}, "問題文"),
        ({"option_2": "", "question_correct": "1"}, "選択肢"),
        ({"ack_due_on": "2001-01-01"}, "今日以降"),
    ],
)
def test_bad_input_is_explained_in_japanese_and_nothing_is_saved(cast, change, message):
    response = login(cast.coach).post("/updates/new/", {**FORM, **change, "action": "publish"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FlashUpdate.objects.exists()


def test_partner_people_cannot_write_updates(cast):
    for person in (cast.rep_a1, cast.manager_a):
        assert login(person).get("/updates/new/").status_code == 404
        assert login(person).post("/updates/new/", {**FORM, "action": "publish"}).status_code == 404
    assert not FlashUpdate.objects.exists()


def test_an_author_edits_their_own_updates_and_the_admin_any(cast):
    update = post_update(cast, author=cast.coach)
    assert login(cast.author).get(f"/updates/{update.pk}/edit/").status_code == 404
    assert login(cast.coach).get(f"/updates/{update.pk}/edit/").status_code == 200
    response = login(cast.admin).post(f"/updates/{update.pk}/edit/", {"title": "直した題", "body": "本文"})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.title == "直した題"


def test_a_rep_reads_answers_and_confirms(cast):
    update = post_update(cast, question=question(correct=2), audience="selected", partners=[cast.partner_a])
    rep = login(cast.rep_a1)
    page = rep.get(update.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and "本日から新料金プラン" in html and "<strong>月額300円</strong>" in html
    assert "確認しました" in html and "disabled" in html  # answer first
    assert Statement.objects.filter(actor=cast.rep_a1, verb=vocab.EXPERIENCED.iri).count() == 1
    # Confirming before answering is refused with a message.
    response = rep.post(f"/updates/{update.pk}/ack/", follow=True)
    assert "先に問題に答えて" in response.content.decode()
    assert not Receipt.objects.get(rep=cast.rep_a1).acknowledged_at
    # A wrong answer: told so, with the explanation and the correct answer.
    response = rep.post(f"/updates/{update.pk}/answer/", {"option": "1"}, follow=True)
    html = response.content.decode()
    assert "おしい" in html and "1人あたり月額300円からです。" in html and "正解" in html
    # Now it can be confirmed; a double tap records one statement and lands on the home page.
    first = rep.post(f"/updates/{update.pk}/ack/")
    second = rep.post(f"/updates/{update.pk}/ack/")
    assert first.status_code == second.status_code == 302 and first.url == "/"
    assert Statement.objects.filter(actor=cast.rep_a1, verb=vocab.ACKNOWLEDGED.iri).count() == 1
    assert "確認済み" in rep.get(update.get_absolute_url()).content.decode()


def test_an_update_without_question_is_confirmed_directly(cast):
    update = post_update(cast)
    rep = login(cast.rep_b1)
    assert rep.post(f"/updates/{update.pk}/answer/", {"option": "1"}).status_code == 404
    assert rep.post(f"/updates/{update.pk}/ack/").status_code == 302
    assert Receipt.objects.get(rep=cast.rep_b1).acknowledged_at


def test_only_reps_record_reading_and_confirming(cast):
    update = post_update(cast, question=question())
    for person in (cast.manager_a, cast.coach, cast.admin):
        client = login(person)
        assert client.get(update.get_absolute_url()).status_code == 200
        assert client.post(f"/updates/{update.pk}/ack/").status_code == 404
        assert client.post(f"/updates/{update.pk}/answer/", {"option": "2"}).status_code == 404
    assert not Statement.objects.exists()


def test_partner_b_gets_404_for_an_update_for_partner_a(cast):
    update = post_update(cast, audience="selected", partners=[cast.partner_a], question=question())
    for person in (cast.rep_b1, cast.manager_b):
        client = login(person)
        for url in ("", "report/", "edit/", "photo", "video", "poster", "video-status"):
            assert client.get(f"/updates/{update.pk}/{url}").status_code == 404, url
        for url in ("ack/", "answer/", "remind/", "delete/"):
            assert client.post(f"/updates/{update.pk}/{url}", {"option": "2"}).status_code == 404, url
        assert update.title not in client.get("/updates/").content.decode()
    assert not Statement.objects.exists()


def test_the_list_shows_each_rep_what_is_left_to_confirm(cast):
    seen = post_update(cast, title="見ただけ")
    done = post_update(cast, title="確認した")
    post_update(cast, title="新しいの")
    post_update(cast, title="B社向け", audience="selected", partners=[cast.partner_b])
    services.update_open(rep=cast.rep_a1, update=seen)
    services.update_acknowledge(rep=cast.rep_a1, update=done)
    html = login(cast.rep_a1).get("/updates/").content.decode()
    assert "B社向け" not in html
    for title in ("見ただけ", "確認した", "新しいの"):
        assert title in html
    assert "確認済み" in html and "未確認" in html and "新着" in html


def test_the_staff_list_has_drafts_and_a_filter(cast):
    post_update(cast, title="下書きの速報", publish=False)
    post_update(cast, title="公開済みの速報")
    client = login(cast.author)
    assert "下書きの速報" in client.get("/updates/").content.decode()
    published = client.get("/updates/?status=published").content.decode()
    assert "公開済みの速報" in published and "下書きの速報" not in published


def test_the_home_strip_fragment_links_each_unconfirmed_update(cast):
    update = post_update(cast, title="朝礼トピック", ack_due_at=timezone.now() + timedelta(days=1))
    html = render_to_string("updates/_home_strip.html", {"flash_updates": selectors.updates_for_home(cast.rep_a1)})
    assert "朝礼トピック" in html and f'href="/updates/{update.pk}/"' in html and "新着" in html
    services.update_acknowledge(rep=cast.rep_a1, update=update)
    html = render_to_string("updates/_home_strip.html", {"flash_updates": selectors.updates_for_home(cast.rep_a1)})
    assert "朝礼トピック" not in html and 'href="/updates/"' in html


def _world(cast):
    """An all-partner update with a question: A1 right and confirmed, A2 read only, B1 nothing."""
    update = post_update(cast, question=question(correct=2), ack_due_at=timezone.now() + timedelta(days=1))
    services.update_answer(rep=cast.rep_a1, update=update, option=2)
    services.update_acknowledge(rep=cast.rep_a1, update=update)
    services.update_open(rep=cast.rep_a2, update=update)
    return update


def test_the_principal_sees_rates_per_partner_and_who_has_not_confirmed(cast):
    update = _world(cast)
    response = login(cast.author).get(f"/updates/{update.pk}/report/")
    assert response.status_code == 200
    report = response.context["report"]
    rows = {r.label: (r.total, r.seen, r.acknowledged, r.answered, r.correct) for r in report.partners}
    assert rows == {"パートナーA株式会社": (2, 2, 1, 1, 1), "パートナーB株式会社": (1, 0, 0, 0, 0)}
    assert (report.overall.seen_rate, report.overall.ack_rate, report.overall.correct_rate) == (67, 33, 100)
    assert report.teams == []  # across agencies, teams come one partner at a time
    by_team = login(cast.author).get(f"/updates/{update.pk}/report/?partner={cast.partner_a.pk}").context["report"]
    assert {t.label: t.ack_rate for t in by_team.teams} == {"東京第1チーム": 100, "大阪チーム": 0}
    assert [p.name for p in by_team.pending] == ["営業 二郎"]
    assert [(p.name, p.seen) for p in report.pending] == [("営業 二郎", True), ("営業 B一", False)]
    html = response.content.decode()
    assert "営業 二郎" in html and "営業 B一" in html and "営業 一子" not in html.split('id="pending"')[1]


def test_a_partner_manager_sees_the_report_for_their_own_reps_only(cast):
    update = _world(cast)
    response = login(cast.manager_b).get(f"/updates/{update.pk}/report/")
    assert response.status_code == 200
    report = response.context["report"]
    assert [r.label for r in report.partners] == ["パートナーB株式会社"]
    assert [p.name for p in report.pending] == ["営業 B一"]
    html = response.content.decode()
    assert "営業 二郎" not in html and "パートナーA" not in html
    # Filtering by partner A's team is not possible for B: the filter is ignored, B's list stays.
    response = login(cast.manager_b).get(f"/updates/{update.pk}/report/?team={cast.team_a2.pk}")
    assert "営業 二郎" not in response.content.decode()
    report_a = login(cast.manager_a).get(f"/updates/{update.pk}/report/").context["report"]
    assert [p.name for p in report_a.pending] == ["営業 二郎"]


def test_reps_and_drafts_have_no_report(cast):
    update = _world(cast)
    assert login(cast.rep_a1).get(f"/updates/{update.pk}/report/").status_code == 404
    draft = post_update(cast, publish=False)
    assert login(cast.admin).get(f"/updates/{draft.pk}/report/").status_code == 404


def test_the_report_filters_who_has_not_confirmed_by_team(cast):
    update = _world(cast)
    response = login(cast.admin).get(f"/updates/{update.pk}/report/?partner={cast.partner_b.pk}&team={cast.team_b1.pk}")
    assert [p.name for p in response.context["report"].pending] == ["営業 B一"]


def test_overdue_reps_are_highlighted(cast):
    update = _world(cast)
    joined_days_ago(30, cast.rep_a1, cast.rep_a2, cast.rep_b1)
    FlashUpdate.objects.filter(pk=update.pk).update(ack_due_at=timezone.now() - timedelta(hours=1))
    html = login(cast.admin).get(f"/updates/{update.pk}/report/").content.decode()
    assert "確認期限を過ぎています" in html and "is-overdue" in html


def test_reps_who_joined_after_the_confirm_by_date_are_not_overdue_in_the_report(cast):
    update = _world(cast)
    joined_days_ago(30, cast.rep_a1, cast.rep_a2)  # B1 joined an hour ago, after the date
    FlashUpdate.objects.filter(pk=update.pk).update(ack_due_at=timezone.now() - timedelta(days=2))
    report = login(cast.admin).get(f"/updates/{update.pk}/report/").context["report"]
    assert {p.name: p.overdue for p in report.pending} == {"営業 二郎": True, "営業 B一": False}
    late = {r.label: r.is_late for r in report.partners}
    assert late == {"パートナーA株式会社": True, "パートナーB株式会社": False}
    assert report.overall.late == 1


def test_a_rep_who_joined_after_the_confirm_by_date_sees_the_update_without_overdue(cast):
    update = post_update(cast, title="入社前の速報", ack_due_at=timezone.now() + timedelta(hours=1))
    FlashUpdate.objects.filter(pk=update.pk).update(
        published_at=timezone.now() - timedelta(days=3), ack_due_at=timezone.now() - timedelta(days=2)
    )
    joined_days_ago(1, cast.rep_a1)  # joined yesterday, after the date
    joined_days_ago(30, cast.rep_a2)
    rep = login(cast.rep_a1)
    for page in ("/", "/updates/", f"/updates/{update.pk}/"):
        html = rep.get(page).content.decode()
        assert "入社前の速報" in html and "期限超過" not in html, page
    assert "確認期限" not in rep.get(f"/updates/{update.pk}/").content.decode()
    assert "期限超過" in login(cast.rep_a2).get("/").content.decode()


def test_a_reminder_goes_once_a_day_to_those_who_have_not_confirmed(cast, django_capture_on_commit_callbacks):
    update = _world(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.manager_a).post(f"/updates/{update.pk}/remind/", follow=True)
    assert "まだ確認していない営業担当者 1人にリマインドを送ります。" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[cast.rep_a2.email]]  # not A1 (confirmed), not B1 (another agency)
    assert mail.outbox[0].subject == "リマインド: 「本日から新料金プラン」を確認してください"
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.manager_a).post(f"/updates/{update.pk}/remind/")
        login(cast.admin).post(f"/updates/{update.pk}/remind/")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.rep_a2.email, cast.rep_b1.email])


def test_the_daily_job_reminds_overdue_reps_once(cast):
    update = _world(cast)
    joined_days_ago(30, cast.rep_a1, cast.rep_a2, cast.rep_b1)
    on_time = post_update(cast, title="まだ期限内", ack_due_at=timezone.now() + timedelta(days=3))
    FlashUpdate.objects.filter(pk=update.pk).update(ack_due_at=timezone.now() - timedelta(hours=2))
    assert services.overdue_reminders_send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.rep_a2.email, cast.rep_b1.email])
    assert all(on_time.title not in m.subject for m in mail.outbox)
    assert services.overdue_reminders_send() == 0
    assert len(mail.outbox) == 2
    # Through the task queue, as the scheduler runs it.
    from kizuna.updates.tasks import overdue_reminders_task

    overdue_reminders_task.enqueue()
    assert len(mail.outbox) == 2


def test_the_daily_job_does_not_remind_reps_who_joined_after_the_date(cast):
    update = _world(cast)
    joined_days_ago(30, cast.rep_a2)  # B1 joined after the date passed
    FlashUpdate.objects.filter(pk=update.pk).update(ack_due_at=timezone.now() - timedelta(days=2))
    assert services.overdue_reminders_send() == 1
    assert [m.to for m in mail.outbox] == [[cast.rep_a2.email]]


def test_the_daily_job_is_scheduled():
    from kizuna.ops.schedule import build_scheduler

    jobs = {job.id: job for job in build_scheduler().get_jobs()}
    assert "flash_update_reminders" in jobs


def test_the_own_terms_resolve(client):
    for path, ja in (("verbs/acknowledged", "確認した"), ("activity-types/flash-update", "速報")):
        data = client.get(f"/xapi/vocab/{path}").json()
        assert data["prefLabel"]["ja"] == ja


def test_the_activity_iri_leads_to_the_update_for_those_who_may_see_it(cast):
    update = post_update(cast, audience="selected", partners=[cast.partner_a])
    url = f"/xapi/activities/flash-update/{update.key}"
    assert login(cast.rep_a1).get(url).url == update.get_absolute_url()
    assert login(cast.rep_b1).get(url).status_code == 404


def test_the_rep_pages_cost_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for i in range(8):
        update = post_update(cast, title=f"速報{i}", question=question())
    client = login(cast.rep_a1)
    client.get(update.get_absolute_url())
    with django_assert_max_num_queries(12):
        assert client.get("/updates/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(update.get_absolute_url()).status_code == 200


def test_editing_a_published_update_keeps_its_audience_and_question_and_sends_nothing(
    cast, django_capture_on_commit_callbacks
):
    update = post_update(cast, audience="selected", partners=[cast.partner_a], question=question())
    client = login(cast.coach)
    html = client.get(f"/updates/{update.pk}/edit/").content.decode()
    assert 'name="audience"' not in html and 'name="question_text"' not in html and "下書き保存" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/updates/{update.pk}/edit/",
            {"title": "新料金プラン(訂正)", "body": "金額を訂正しました。", "audience": "all", "action": "save"},
        )
    assert response.url == update.get_absolute_url()
    update.refresh_from_db()
    assert update.title == "新料金プラン(訂正)" and update.audience == "selected"
    assert list(update.partners.all()) == [cast.partner_a] and update.question.correct == 2
    assert not mail.outbox


def test_a_draft_can_be_deleted_from_its_edit_page(cast):
    draft = post_update(cast, publish=False)
    response = login(cast.coach).post(f"/updates/{draft.pk}/delete/")
    assert response.url == "/updates/" and not FlashUpdate.objects.exists()


@pytest.mark.parametrize("n", [2, 12])
def test_the_report_costs_a_fixed_number_of_queries_however_many_reps(cast, n, django_assert_num_queries):
    from conftest import make_person

    update = _world(cast)
    for i in range(n):
        rep = make_person(f"r{i}@partner-a.example", f"追加 {i}", cast.partner_a, "rep", cast.team_a1)
        services.update_open(rep=rep, update=update)
    client = login(cast.admin)
    client.get(f"/updates/{update.pk}/report/")
    # session, the user with their membership, update, tags, question, partners (filter), audience, receipts
    with django_assert_num_queries(8):
        assert client.get(f"/updates/{update.pk}/report/").status_code == 200


def test_a_reminder_about_a_title_with_quotes_has_no_doubled_brackets(cast, django_capture_on_commit_callbacks):
    update = post_update(cast, title="「高いね」と言われたら", ack_due_at=timezone.now() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.manager_a).post(f"/updates/{update.pk}/remind/")
    assert mail.outbox and all(
        m.subject == "リマインド: 「『高いね』と言われたら」を確認してください" for m in mail.outbox
    )


def test_a_report_about_one_partner_is_headed_with_its_name_not_our_own_company(cast):
    update = post_update(cast, audience="selected", partners=[cast.partner_a])
    for viewer in (cast.admin, cast.manager_a):
        html = login(viewer).get(f"/updates/{update.pk}/report/").content.decode()
        heading = html[html.index('id="h-partners"') : html.index("</h2>", html.index('id="h-partners"'))]
        assert cast.partner_a.name in heading and "自社" not in heading
