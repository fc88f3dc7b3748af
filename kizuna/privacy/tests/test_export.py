"""A person downloads everything Kizuna holds about them, and nothing about anyone else."""

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.privacy.models import DataExport
from kizuna.tests.stored_support import fetched


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(monkeypatch):
    """Run the export task at once: the test's transaction never commits, so on_commit would never fire."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, *a, **k: fn())


def _export_zip(client: Client) -> zipfile.ZipFile:
    response = client.post(reverse("privacy:my_data"))
    assert response.status_code == 302
    export = DataExport.objects.latest("requested_at")
    assert export.status == DataExport.Status.READY
    response = fetched(client, reverse("privacy:my_data_download", kwargs={"export_key": export.key}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.body))


def _all_text(zf: zipfile.ZipFile) -> str:
    return "\n".join(zf.read(name).decode("utf-8-sig") for name in zf.namelist() if not name.startswith("files/"))


def test_the_export_holds_the_persons_data_from_every_app(histories, signed_in):
    rep = histories.rep_a1
    zf = _export_zip(signed_in(rep))
    names = set(zf.namelist())
    assert {"profile.json", "profile.csv", "statements.xapi.json", "statements_summary.csv", "manifest.json"} <= names
    profile = json.loads(zf.read("profile.json"))
    assert profile[0]["email"] == rep.email and profile[0]["public_id"] == str(rep.public_id)
    membership = json.loads(zf.read("membership.json"))
    assert membership == [{**membership[0], "organization__name": "パートナーA株式会社", "role": "rep"}]
    statements = json.loads(zf.read("statements.xapi.json"))
    assert statements and {s["actor"]["account"]["name"] for s in statements} == {str(rep.public_id)}
    assert any(s["verb"]["id"].endswith("/completed") for s in statements)
    assert "一子が聞いた質問" in zf.read("field_voice.json").decode()
    assert "一子の感想" in zf.read("lesson_feedback.csv").decode("utf-8-sig")
    assert "一子の質問" in zf.read("community_questions.json").decode()
    assert "一子へのサンクス" in zf.read("kudos_received.json").decode()
    assert json.loads(zf.read("lesson_progress.json"))[0]["completed_at"]
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["rows"]["statements.xapi"] == len(statements)


def test_the_export_holds_nothing_of_another_rep(histories, signed_in):
    other = histories.rep_a2
    text = _all_text(_export_zip(signed_in(histories.rep_a1)))
    for trace in ("二郎", other.email, str(other.public_id)):
        assert trace not in text


def test_the_export_never_holds_a_secret(histories, signed_in):
    from kizuna.api.services import api_token_create

    _token, raw = api_token_create(user=histories.rep_a1, name="mine", created_by=histories.admin)
    text = _all_text(_export_zip(signed_in(histories.rep_a1)))
    assert "mine" in text
    assert raw not in text and "key_hash" not in text and "password" not in text


def test_a_roleplay_video_is_included_when_it_fits_and_listed_when_not(cast, signed_in, monkeypatch):
    from django.core.files.base import ContentFile

    from kizuna.accounts.personal_data import ExportFile
    from kizuna.privacy import exports

    small = ExportFile("roleplay/take-1.mp4", lambda: ContentFile(b"v" * 10).open(), 10, {"take": 1})
    large = ExportFile("roleplay/take-2.mp4", lambda: ContentFile(b"v" * 30).open(), 30, {"take": 2, "page": "/x/"})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        left_out: list[dict[str, Any]] = []
        remaining = exports._write_files(zf, [small, large], left_out, 20)
    assert remaining == 10
    assert zipfile.ZipFile(out).namelist() == ["files/roleplay/take-1.mp4"]
    assert left_out == [{"file": "roleplay/take-2.mp4", "size": 30, "take": 2, "page": "/x/"}]


def test_a_repeated_request_is_refused_for_a_while(cast, signed_in):
    client = signed_in(cast.rep_a1)
    client.post(reverse("privacy:my_data"))
    response = client.post(reverse("privacy:my_data"), follow=True)
    assert "もう一度" in response.content.decode() or "again" in response.content.decode()
    assert DataExport.objects.filter(user=cast.rep_a1).count() == 1


def test_a_new_request_after_the_interval_replaces_the_old_file(cast, signed_in):
    client = signed_in(cast.rep_a1)
    client.post(reverse("privacy:my_data"))
    first = DataExport.objects.get()
    DataExport.objects.filter(pk=first.pk).update(requested_at=timezone.now() - timedelta(minutes=11))
    client.post(reverse("privacy:my_data"))
    assert list(DataExport.objects.values_list("pk", flat=True)) != [first.pk]
    assert not first.file.storage.exists(first.file.name)


def test_someone_elses_export_is_a_404(cast, signed_in):
    signed_in(cast.rep_a1).post(reverse("privacy:my_data"))
    export = DataExport.objects.get()
    for outsider in (cast.rep_a2, cast.manager_a, cast.admin, cast.rep_b1):
        client = signed_in(outsider)
        assert client.get(reverse("privacy:my_data_download", kwargs={"export_key": export.key})).status_code == 404


def test_an_expired_export_is_a_404_and_the_daily_job_deletes_it(cast, signed_in):
    from kizuna.privacy.services import data_exports_expire

    client = signed_in(cast.rep_a1)
    client.post(reverse("privacy:my_data"))
    export = DataExport.objects.get()
    DataExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - timedelta(days=8))
    assert client.get(reverse("privacy:my_data_download", kwargs={"export_key": export.key})).status_code == 404
    assert data_exports_expire() == 1
    assert not export.file.storage.exists(export.file.name)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_page_speaks_the_persons_language(cast, signed_in, language):
    cast.rep_a1.language = language
    cast.rep_a1.save()
    body = signed_in(cast.rep_a1).get(reverse("privacy:my_data")).content.decode()
    assert ("データを準備する" if language == "ja" else "Prepare my data") in body


def test_the_profile_links_to_my_data(cast, signed_in):
    assert reverse("privacy:my_data") in signed_in(cast.rep_a1).get(reverse("accounts:profile")).content.decode()


def test_an_export_lost_by_a_stopped_worker_does_not_block_a_new_request_for_long(cast, signed_in):
    from kizuna.privacy.services import data_export_request

    stuck = DataExport.objects.create(user=cast.rep_a1, requested_at=timezone.now() - timedelta(hours=2))
    export = data_export_request(user=cast.rep_a1)
    assert export.pk != stuck.pk and not DataExport.objects.filter(pk=stuck.pk).exists()


def test_a_pending_export_refuses_a_second_request(cast):
    from kizuna.privacy.services import PrivacyError, data_export_request

    DataExport.objects.create(user=cast.rep_a1, requested_at=timezone.now() - timedelta(minutes=20))
    with pytest.raises(PrivacyError):
        data_export_request(user=cast.rep_a1)
