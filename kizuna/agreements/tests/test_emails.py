"""The managers' weekly digest and the monthly report e-mail (HTML, plain text and a CSV)."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import publish_course
from kizuna.agreements.emails import compliance_digests_send, monthly_report_send
from kizuna.agreements.selectors import this_month

from .helpers import write_version


def _overdue_course(cast):
    return publish_course(
        cast,
        slug="late",
        title="期限切れの研修",
        lessons=[{"kind": "article", "title": "本文", "body": "本文です。"}],
        due_in_days=-2,
    )


def test_the_digest_tells_each_manager_their_own_gaps_once_a_week(cast):
    _overdue_course(cast)
    write_version(cast)
    assert compliance_digests_send() == 1
    (message,) = mail.outbox
    assert message.to == [cast.manager_a.email]
    assert cast.rep_a1.name in message.body and cast.rep_b1.name not in message.body
    html = message.alternatives[0][0]
    assert cast.rep_a1.name in html
    assert compliance_digests_send() == 0  # the same week: not again


def test_no_digest_without_gaps(cast):
    write_version(cast, min_minutes_per_month=0)
    assert compliance_digests_send() == 0


def test_the_monthly_report_goes_to_the_manager_and_the_principal_with_a_csv(cast):
    _overdue_course(cast)
    write_version(cast, effective_from=timezone.localdate() - timedelta(days=70))
    month = (this_month() - timedelta(days=1)).replace(day=1)
    assert monthly_report_send(partner=cast.partner_a, month=month) == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([cast.manager_a.email, cast.admin.email])
    message = mail.outbox[0]
    assert message.alternatives and "<html" in message.alternatives[0][0]
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".csv") and mimetype == "text/csv"
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
    assert cast.rep_a1.name in text and cast.rep_b1.name not in text
    assert monthly_report_send(partner=cast.partner_a, month=month) == 0


def test_the_command_sends_every_partners_report(cast):
    write_version(cast)
    call_command("agreements_monthly_report", "--month", this_month().strftime("%Y-%m"))
    # Partner A: its manager and the admin; partner B: its manager and the admin.
    assert len(mail.outbox) == 4


def test_the_monthly_report_shows_the_kpi_summary_when_there_is_one(cast, monkeypatch):
    from kizuna.agreements import emails

    write_version(cast)
    line = {
        "key": "appointment_rate",
        "label": "アポイント獲得率",
        "value": 6.5,
        "target": 5.0,
        "met": True,
        "unit": "%",
    }
    monkeypatch.setattr(emails, "kpi_summary", lambda partner, month: [line])
    monthly_report_send(partner=cast.partner_a, month=this_month())
    html = mail.outbox[0].alternatives[0][0]
    assert "アポイント獲得率" in html and "6.5%" in html and "6.5%" in mail.outbox[0].body
    mail.outbox.clear()
    monkeypatch.setattr(emails, "kpi_summary", lambda partner, month: [])
    monthly_report_send(partner=cast.partner_b, month=this_month())
    assert "アポイント獲得率" not in mail.outbox[0].alternatives[0][0]
