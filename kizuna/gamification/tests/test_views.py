"""The screens: rankings by period and scope (with partner isolation and naming), badges, the rules, kudos,
the spotlight, the celebration banner, and the pinned query counts of the hot pages."""

import pytest
from django.urls import reverse

from conftest import make_person
from kizuna.gamification.models import Badge, Celebration, Kudos, Level, PointRule, Spotlight
from kizuna.gamification.services import defaults_ensure
from kizuna.orgs.sharing import partner_sharing_set

from .conftest import attend, quiz


def _scores(cast):
    quiz(cast.rep_a1, key="a")
    quiz(cast.rep_a1, key="b")
    quiz(cast.rep_a2, key="a")
    quiz(cast.rep_b1, key="a", scaled=1.0)


def test_a_rep_sees_their_team_and_agency_but_not_other_agencies(cast, client):
    _scores(cast)
    client.force_login(cast.rep_a1)
    team = client.get(reverse("gamification:rankings"), {"scope": "team", "period": "week"})
    assert team.status_code == 200
    names = [row.name for row in team.context["board"].rows]
    assert names == ["営業 一子"]
    agency = client.get(reverse("gamification:rankings"), {"scope": "agency", "period": "month"}).context["board"]
    assert [r.name for r in agency.rows] == ["営業 一子", "営業 二郎"]
    assert agency.my_rank == 1
    assert "営業 B一" not in client.get(reverse("gamification:rankings"), {"scope": "agency"}).content.decode()
    assert client.get(reverse("gamification:rankings"), {"scope": "all"}).status_code == 404


def test_across_agencies_only_where_the_agreement_allows_with_names_hidden(cast, client):
    _scores(cast)
    partner_sharing_set(partner=cast.partner_a, rankings=True, reviews=False, community=True)
    client.force_login(cast.rep_a1)
    board = client.get(reverse("gamification:rankings"), {"scope": "all", "period": "all"}).context["board"]
    # Partner B has not agreed: its reps are not on the board.
    assert [r.name for r in board.rows] == ["営業 一子", "営業 二郎"]
    partner_sharing_set(partner=cast.partner_b, rankings=True, reviews=False, community=True)
    response = client.get(reverse("gamification:rankings"), {"scope": "all", "period": "all"})
    rows = response.context["board"].rows
    assert rows[1].agency == cast.partner_b.name and rows[1].name != "営業 B一"
    assert "営業 B一" not in response.content.decode()
    client.force_login(cast.rep_b1)
    assert "営業 一子" not in client.get(reverse("gamification:rankings"), {"scope": "all"}).content.decode()


def test_a_manager_sees_their_agency_and_their_teams_only(cast, client):
    _scores(cast)
    client.force_login(cast.manager_a)
    board = client.get(reverse("gamification:rankings"), {"scope": "agency", "period": "week"}).context["board"]
    assert [r.name for r in board.rows] == ["営業 一子", "営業 二郎"]
    team = client.get(reverse("gamification:rankings"), {"scope": "team", "team": cast.team_a2.pk}).context["board"]
    assert [r.name for r in team.rows] == ["営業 二郎"]
    assert client.get(reverse("gamification:rankings"), {"scope": "team", "team": cast.team_b1.pk}).status_code == 404
    assert client.get(reverse("gamification:rankings"), {"scope": "all"}).status_code == 404


def test_the_principal_sees_every_agency_with_ties_sharing_a_rank(cast, client):
    _scores(cast)
    quiz(cast.rep_a2, key="b")
    client.force_login(cast.admin)
    board = client.get(reverse("gamification:rankings"), {"scope": "all", "period": "week"}).context["board"]
    assert [r.name for r in board.rows] == ["営業 一子", "営業 二郎", "営業 B一"]
    assert [r.rank for r in board.rows] == [1, 1, 3]
    agency = client.get(reverse("gamification:rankings"), {"scope": "agency", "partner": cast.partner_b.pk}).context[
        "board"
    ]
    assert [r.name for r in agency.rows] == ["営業 B一"]
    # The principal opens a rep from the board (to send kudos); reps never get such links.
    assert agency.rows[0].rep_id == cast.rep_b1.pk
    client.force_login(cast.rep_a1)
    assert (
        reverse("gamification:gamification_rep", args=[cast.rep_a1.pk])
        not in client.get(reverse("gamification:rankings")).content.decode()
    )


@pytest.mark.parametrize("n", [3, 30])
def test_the_ranking_page_runs_a_fixed_number_of_queries(cast, client, django_assert_num_queries, settings, n):
    # The deployment's shared cache (the database's), so the counts are those a server runs.
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "kizuna.ops.dbcache.DatabaseCache", "LOCATION": "kizuna_cache"},
    }
    for i in range(n):
        rep = make_person(f"r{i}@partner-a.example", f"営業 {i}", cast.partner_a, "rep", cast.team_a1)
        quiz(rep, key=f"k{i}")
    client.force_login(cast.rep_a1)
    quiz(cast.rep_a1, key="x", passed=False)
    page = {"scope": "agency", "period": "week"}
    # The first look: session, user, state tokens, kept parts, sharing (partners' agreements, partners), board,
    # naming policy, own points, own rank, spotlight, and keeping them.
    client.get(reverse("gamification:rankings"), page)
    client.get(reverse("gamification:rankings"), page)  # the first look ever also made the sharing settings' row
    # Then, for RANKING_SECONDS or until the rep's own points change: session, user, state tokens, kept parts.
    with django_assert_num_queries(4):
        assert client.get(reverse("gamification:rankings"), page).status_code == 200


def test_the_badges_page_shows_points_badges_and_kudos(cast, client, article_course):
    from kizuna.records import services as records

    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    Kudos.objects.create(sender=cast.coach, recipient=cast.rep_a1, message="商談の準備が丁寧でした")
    client.force_login(cast.rep_a1)
    body = client.get(reverse("gamification:badges")).content.decode()
    assert "はじめての修了" in body and "70" in body and "商談の準備が丁寧でした" in body
    assert "/openbadges/assertions/" in body


def test_the_celebration_shows_once_then_is_remembered(cast, client, article_course):
    from kizuna.records import services as records

    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    client.force_login(cast.rep_a1)
    home = client.get(reverse("learning:home")).content.decode()
    assert "data-celebrate" in home and "はじめての修了" in home
    assert "<script>" not in home and "style=" not in home
    response = client.post(reverse("gamification:gamification_celebrated"), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    assert Celebration.objects.get(user=cast.rep_a1).points == 70
    assert "data-celebrate" not in client.get(reverse("learning:home")).content.decode()
    attend(cast.rep_a1)
    assert "data-celebrate" in client.get(reverse("accounts:profile")).content.decode()


def test_the_rules_page_documents_the_caps_for_everyone(cast, client):
    client.force_login(cast.rep_a1)
    body = client.get(reverse("gamification:point_rules")).content.decode()
    assert "30" in body and reverse("gamification:gamification_admin") not in body


def test_reading_the_rules_page_shows_the_defaults_without_storing_them(cast, client):
    client.force_login(cast.rep_a1)
    body = client.get(reverse("gamification:point_rules")).content.decode()
    assert "30" in body and "3000" in body  # the lesson cap and the last level of the defaults
    assert not PointRule.objects.exists() and not Level.objects.exists() and not Badge.objects.exists()


def test_the_rules_page_shows_the_stored_rules_once_they_are_set(cast, client):
    defaults_ensure()
    client.force_login(cast.rep_a1)
    assert "<td>17</td>" not in client.get(reverse("gamification:point_rules")).content.decode()
    PointRule.objects.filter(kind="lesson_completed").update(points=17)
    assert "<td>17</td>" in client.get(reverse("gamification:point_rules")).content.decode()


def test_only_the_principal_admin_changes_the_rules(cast, client):
    defaults_ensure()
    for person in (cast.rep_a1, cast.manager_a, cast.coach, cast.author):
        client.force_login(person)
        assert client.get(reverse("gamification:gamification_admin")).status_code == 404
        assert client.post(reverse("gamification:gamification_rescore")).status_code == 404
    client.force_login(cast.admin)
    page = client.get(reverse("gamification:gamification_admin"))
    assert page.status_code == 200
    data = {
        "rules-TOTAL_FORMS": "9",
        "rules-INITIAL_FORMS": "9",
        "levels-TOTAL_FORMS": "2",
        "levels-INITIAL_FORMS": "0",
        "levels-0-threshold": "0",
        "levels-0-name_ja": "新人",
        "levels-0-name_en": "Newcomer",
        "levels-1-threshold": "50",
        "levels-1-name_ja": "一人前",
        "levels-1-name_en": "Full-fledged",
    }
    for i, rule in enumerate(PointRule.objects.order_by("kind")):
        data |= {
            f"rules-{i}-kind": rule.kind,
            f"rules-{i}-points": str(rule.points + 1),
            f"rules-{i}-daily_cap": str(rule.daily_cap),
            f"rules-{i}-threshold": str(rule.threshold),
            f"rules-{i}-active": "on",
        }
    response = client.post(reverse("gamification:gamification_admin"), data)
    assert response.status_code == 302
    assert PointRule.objects.get(kind="lesson_completed").points == 11
    data["rules-0-points"] = "-3"
    response = client.post(reverse("gamification:gamification_admin"), data)
    assert response.status_code == 200
    assert PointRule.objects.order_by("kind").first().points != -3


def test_a_coach_sends_kudos_and_the_rep_is_notified(cast, client):
    from kizuna.notifications.models import Notification

    client.force_login(cast.coach)
    response = client.post(
        reverse("gamification:gamification_kudos", args=[cast.rep_a1.pk]), {"message": "ありがとう!"}
    )
    assert response.status_code == 302
    assert Kudos.objects.get(recipient=cast.rep_a1).sender == cast.coach
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="gamification.kudos").exists()
    client.force_login(cast.rep_a1)
    assert "ありがとう!" in client.get(reverse("learning:home")).content.decode()


def test_managers_and_reps_cannot_send_kudos_and_partner_b_cannot_see_partner_a(cast, client):
    for person in (cast.manager_a, cast.rep_a2):
        client.force_login(person)
        assert (
            client.post(reverse("gamification:gamification_kudos", args=[cast.rep_a1.pk]), {"message": "x"}).status_code
            == 404
        )
    client.force_login(cast.manager_b)
    assert client.get(reverse("gamification:gamification_rep", args=[cast.rep_a1.pk])).status_code == 404
    client.force_login(cast.manager_a)
    assert client.get(reverse("gamification:gamification_rep", args=[cast.rep_a1.pk])).status_code == 200
    assert not Kudos.objects.exists()


def test_the_principal_puts_a_rep_in_the_spotlight_and_reps_see_it(cast, client):
    client.force_login(cast.admin)
    from django.utils import timezone

    month = timezone.localdate().strftime("%Y-%m")
    data = {"month": month, "email": cast.rep_a2.email, "note": "新規アポ獲得数がトップでした"}
    assert client.post(reverse("gamification:gamification_spotlight"), data).status_code == 302
    again = client.post(reverse("gamification:gamification_spotlight"), data)
    assert again.status_code == 200 and Spotlight.objects.count() == 1
    bad = client.post(reverse("gamification:gamification_spotlight"), {**data, "email": "nobody@example.com"})
    assert bad.status_code == 200
    client.force_login(cast.rep_a1)
    assert "新規アポ獲得数がトップでした" in client.get(reverse("gamification:rankings")).content.decode()
    client.force_login(cast.manager_a)
    assert client.get(reverse("gamification:gamification_spotlight")).status_code == 404


def test_a_level_up_is_celebrated_with_the_new_level_name(cast):
    from kizuna.gamification.selectors import rep_strip
    from kizuna.gamification.services import celebration_seen

    for key in "abcde":
        quiz(cast.rep_a1, key=key)  # 5 × 20 points: level 2 starts at 100
    strip = rep_strip(cast.rep_a1)
    assert strip.points == 100 and strip.level == 2 and strip.celebrate_level
    assert strip.level_name == "ルーキー+" and strip.next_threshold == 300
    celebration_seen(user=cast.rep_a1, points=strip.points, level=strip.level, badges=strip.badges)
    assert not rep_strip(cast.rep_a1).celebrating


def test_the_strip_reads_kudos_the_latest_badge_and_the_streak_in_the_viewers_language(cast, article_course):
    from django.utils import translation

    from kizuna.gamification.selectors import rep_strip
    from kizuna.records import services as records

    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    Kudos.objects.create(sender=cast.coach, recipient=cast.rep_a1, message="商談の準備が丁寧でした")
    strip = rep_strip(cast.rep_a1)
    assert strip.kudos_message == "商談の準備が丁寧でした" and strip.kudos_sender == cast.coach.name
    assert strip.latest_badge == "はじめての修了" and strip.streak == 1 and strip.points == 70
    with translation.override("en"):
        english = rep_strip(cast.rep_a1)
    assert english.latest_badge != strip.latest_badge and english.level_name
    empty = rep_strip(cast.rep_b1)
    assert (empty.points, empty.streak, empty.next_threshold, empty.celebrating) == (0, 0, 100, False)


def test_a_new_rep_with_no_points_is_at_the_first_level_before_gamification_is_first_used(cast, client):
    from kizuna.gamification.selectors import rep_strip

    assert not Level.objects.exists()
    strip = rep_strip(cast.rep_a1)
    assert (strip.level, strip.level_name, strip.next_threshold) == (1, "ルーキー", 100)
    client.force_login(cast.rep_a1)
    body = client.get(reverse("learning:home")).content.decode()
    assert "レベル1" in body and "レベル0" not in body


def test_a_new_rep_with_no_points_is_at_the_first_stored_level(cast, client):
    from kizuna.gamification.selectors import rep_strip

    defaults_ensure()
    quiz(cast.rep_a2)  # someone else scored: the levels are stored, the new rep has no score row
    strip = rep_strip(cast.rep_a1)
    assert (strip.level, strip.level_name, strip.next_threshold) == (1, "ルーキー", 100)
    assert not strip.celebrate_level
    client.force_login(cast.rep_a1)
    for page in (reverse("gamification:badges"), reverse("accounts:profile")):
        body = client.get(page).content.decode()
        assert "レベル1" in body and "レベル0" not in body


def test_the_principal_chooses_an_agency_on_the_rankings_not_our_own_company(cast, client):
    _scores(cast)
    client.force_login(cast.admin)
    html = client.get(reverse("gamification:rankings"), {"scope": "agency"}).content.decode()
    scopes = html[html.index('aria-label="範囲"') :]
    assert "自社" not in scopes[: scopes.index("</nav>")]
    client.force_login(cast.rep_a1)
    assert "自社" in client.get(reverse("gamification:rankings")).content.decode()
