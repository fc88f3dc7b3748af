"""What changed since the previous agreement version: each term, each course, and the evaluation text word by word."""

import pytest
from django.utils.translation import gettext

from conftest import publish_course
from kizuna.agreements.changes import Segment, text_diff, version_changes
from kizuna.agreements.services import CourseTerm

from .helpers import in_days, write_version


def _course(cast, slug, title):
    return publish_course(
        cast, slug=slug, title=title, lessons=[{"kind": "article", "title": "本文", "body": "本文です。"}]
    )


@pytest.fixture
def two_versions(cast):
    kept, moved, dropped, new = (
        _course(cast, "kept", "商品知識"),
        _course(cast, "moved", "提案の基本"),
        _course(cast, "dropped", "旧研修"),
        _course(cast, "new", "新製品研修"),
    )
    first = write_version(
        cast,
        courses=[
            CourseTerm(kept, True, in_days(30)),
            CourseTerm(moved, True, in_days(30)),
            CourseTerm(dropped, False, None),
        ],
        evaluation_text="必須コースの修了を四半期評価に反映します。",
    )
    second = write_version(
        cast,
        min_minutes_per_month=120,
        counts_as_work=False,
        share_reviews=True,
        courses=[
            CourseTerm(kept, True, in_days(30)),
            CourseTerm(moved, True, in_days(60)),
            CourseTerm(new, False, None),
        ],
        evaluation_text="必須コースの修了を半期評価に反映します。<script>alert(1)</script>",
    )
    return first, second


def test_the_first_version_has_nothing_to_compare_with(cast):
    assert version_changes(write_version(cast)) is None


def test_each_changed_term_is_listed_with_its_old_and_new_value_as_the_page_shows_them(cast, two_versions):
    first, second = two_versions
    changes = version_changes(second)
    assert changes.previous == first
    terms = {c.label: (c.before, c.after) for c in changes.terms}
    assert terms["月間の最低学習時間"] == ("60分", "120分")
    assert terms["学習時間の業務時間扱い"] == ("あり(月120分まで)", gettext("No"))
    assert terms["パートナー企業をまたいで共有するもの"] == (
        "ランキング / コミュニティ",
        "ランキング / ロープレのレビュー / コミュニティ",
    )
    assert "退職した営業担当者のデータ" not in terms  # unchanged terms are left out
    assert len(changes.terms) == 4  # minutes, work time, evaluation text, sharing


def test_each_course_added_removed_or_with_new_terms_is_listed(cast, two_versions):
    changes = version_changes(two_versions[1])
    courses = {(c.kind, c.title) for c in changes.courses}
    assert courses == {("added", "新製品研修"), ("changed", "提案の基本"), ("removed", "旧研修")}
    moved = next(c for c in changes.courses if c.kind == "changed")
    assert moved.before.startswith("必須") and moved.before != moved.after


def test_the_text_diff_marks_japanese_by_character_and_english_by_word():
    assert text_diff("四半期評価", "半期評価") == [Segment("removed", "四"), Segment("same", "半期評価")]
    assert text_diff("count toward pay", "count toward bonus") == [
        Segment("same", "count toward "),
        Segment("removed", "pay"),
        Segment("added", "bonus"),
    ]
    assert text_diff("", "新しい文") == [Segment("added", "新しい文")]


def test_a_long_text_is_compared_line_by_line_and_stays_quick():
    before = "\n".join(f"{i}行目の説明です。" for i in range(3000))
    after = before.replace("1500行目", "千五百行目")
    segments = text_diff(before, after)
    assert "".join(s.text for s in segments if s.kind != "added") == before
    assert "".join(s.text for s in segments if s.kind != "removed") == after


def test_the_manager_sees_the_changes_on_the_version_page_with_html_escaped(cast, two_versions, signed_in):
    body = signed_in(cast.manager_a).get(f"/agreements/versions/{two_versions[1].pk}/").content.decode()
    assert "第1版からの変更点" in body
    assert "<del>四</del>" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    assert "新製品研修" in body and "旧研修" in body


def test_partner_b_cannot_see_partner_as_changes(cast, two_versions, signed_in):
    assert signed_in(cast.manager_b).get(f"/agreements/versions/{two_versions[1].pk}/").status_code == 404


def test_the_agencys_managers_are_asked_to_review_a_new_version_and_no_one_else(cast, two_versions):
    from kizuna.notifications.models import Notification

    second = two_versions[1]
    sent = Notification.objects.filter(kind="agreements.version")
    assert {n.recipient_id for n in sent} == {cast.manager_a.pk}
    latest = sent.get(url=f"/agreements/versions/{second.pk}/")
    assert latest.title_text == "合意事項の第2版があなたの承認を待っています"


def test_once_a_manager_accepts_the_request_to_accept_no_longer_waits_in_the_bell(cast, two_versions):
    from kizuna.agreements.services import agreement_version_accept
    from kizuna.notifications.models import Notification

    second = two_versions[1]
    agreement_version_accept(version=second, manager=cast.manager_a)
    asked = Notification.objects.get(kind="agreements.version", url=f"/agreements/versions/{second.pk}/")
    assert asked.read_at is not None
    still = Notification.objects.filter(kind="agreements.version", read_at__isnull=True)
    assert [n.url for n in still] == [f"/agreements/versions/{two_versions[0].pk}/"]  # version 1 not accepted yet
    cast.manager_a.refresh_from_db()
    assert cast.manager_a.unread_notifications == 1
