"""The audit trail's pages: the principal's staff read every agency's changes, a manager only their own."""

import csv
import io

from django.utils import timezone

from kizuna.audit.models import AuditEntry
from kizuna.ops.trail import Action, audit_record


def _entries(cast):
    a = audit_record(
        action=Action.PERSON_UPDATE,
        actor=cast.manager_a,
        target=cast.rep_a1,
        target_label="営業 一子 <rep1@partner-a.example>",
        organization_id=cast.partner_a.pk,
        before={"role": "rep"},
        after={"role": "manager"},
    )
    b = audit_record(
        action=Action.PERSON_UPDATE,
        actor=cast.manager_b,
        target=cast.rep_b1,
        target_label="営業 B一 <rep1@partner-b.example>",
        organization_id=cast.partner_b.pk,
        after={"active": False},
    )
    principal = audit_record(action=Action.COURSE_PUBLISH, actor=cast.author, target_label="製品の基本")
    return a, b, principal


def test_the_principal_admin_sees_every_agencys_changes(cast, signed_in):
    _entries(cast)
    page = signed_in(cast.admin).get("/audit/").content.decode()
    assert "rep1@partner-a.example" in page and "rep1@partner-b.example" in page and "製品の基本" in page


def test_a_manager_sees_only_their_agencys_changes(cast, signed_in):
    _entries(cast)
    page = signed_in(cast.manager_a).get("/audit/").content.decode()
    assert "rep1@partner-a.example" in page
    assert "rep1@partner-b.example" not in page and "製品の基本" not in page


def test_a_rep_cannot_open_the_trail(cast, signed_in):
    assert signed_in(cast.rep_a1).get("/audit/").status_code == 404
    assert signed_in(cast.rep_a1).get("/audit.csv").status_code == 404


def test_an_entry_shows_before_and_after(cast, signed_in):
    a, _b, _p = _entries(cast)
    response = signed_in(cast.manager_a).get(f"/audit/{a.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<td>rep</td><td>manager</td>" in page.replace("\n", "")


def test_a_manager_gets_404_for_another_agencys_entry(cast, signed_in):
    _a, b, principal = _entries(cast)
    client = signed_in(cast.manager_a)
    assert client.get(f"/audit/{b.pk}/").status_code == 404
    assert client.get(f"/audit/{principal.pk}/").status_code == 404


def test_it_searches_by_person_object_and_date(cast, signed_in):
    a, _b, principal = _entries(cast)
    client = signed_in(cast.admin)
    by_person = client.get("/audit/", {"person": "manager@partner-b"}).content.decode()
    assert "rep1@partner-b.example" in by_person and "rep1@partner-a.example" not in by_person
    by_object = client.get("/audit/", {"object": "製品"}).content.decode()
    assert "製品の基本" in by_object and "rep1@partner-a.example" not in by_object
    # The screen's dates are the deployment's (Asia/Tokyo): after 15:00 UTC, UTC's date is the day before.
    day = timezone.localdate(a.created_at).isoformat()
    assert "製品の基本" in client.get("/audit/", {"since": day, "until": day}).content.decode()
    assert "製品の基本" not in client.get("/audit/", {"until": "2000-01-01"}).content.decode()


def test_bad_dates_get_a_message_not_an_error(cast, signed_in):
    client = signed_in(cast.admin)
    response = client.get("/audit/", {"since": "2026-13-40"})
    assert response.status_code == 200
    response = client.get("/audit/", {"since": "2026-02-01", "until": "2026-01-01"})
    assert "開始日が終了日より後です" in response.content.decode()


def test_the_csv_has_the_managers_agency_only_and_is_itself_recorded(cast, signed_in):
    _entries(cast)
    response = signed_in(cast.manager_a).get("/audit.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    people = [row for row in rows[1:] if row[5] == "accounts.user"]
    assert len(people) == 1  # partner A's; never partner B's
    assert people[0][1] == "manager@partner-a.example" and people[0][7].startswith("営業 一子")
    assert '"role": "manager"' in people[0][9]
    export = AuditEntry.objects.filter(action=Action.DATA_EXPORT).get()
    assert export.organization_id == cast.partner_a.pk and export.actor == cast.manager_a


def test_the_menu_offers_the_trail_to_staff_and_managers_only(cast):
    from kizuna.orgs.menu import menu_for

    def urls(role):
        return {link["url"] for section in menu_for(role) for link in section["links"]}

    assert "/audit/" in urls("admin") and "/audit/" in urls("manager")
    assert "/audit/" not in urls("rep")


def test_a_csv_asked_with_bad_dates_sends_back_to_the_search(cast, signed_in):
    response = signed_in(cast.admin).get("/audit.csv", {"since": "2026-02-01", "until": "2026-01-01"})
    assert response.status_code == 302 and response.url.startswith("/audit/?")
