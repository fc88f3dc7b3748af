"""The demo seed without videos (--no-video): people, courses, assignments and five weeks of real history.

The seed runs once for the package (conftest.py) inside a transaction that is rolled back at the end;
each test then runs inside its own savepoint, so tests cannot disturb one another.
"""

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from kizuna.accounts.models import User
from kizuna.agreements.selectors import compliance_for_partner
from kizuna.catalog.models import Assignment, Course, PublishedLesson
from kizuna.certification.models import Holding
from kizuna.demo import content
from kizuna.notifications.models import Notification
from kizuna.notifications.services import unread_groups_count
from kizuna.notifications.subjects import changed_subjects
from kizuna.orgs.access import visible_reps
from kizuna.orgs.models import Membership, Organization
from kizuna.records.models import CourseProgress, LessonProgress, Statement
from kizuna.records.projections import rebuild_all

from .conftest import Demo

SIGN_INS = {
    "admin@principal.example": ("admin", "principal"),
    "author@principal.example": ("author", "principal"),
    "coach@principal.example": ("coach", "principal"),
    "manager@partner-a.example": ("manager", "partner-a"),
    "rep1@partner-a.example": ("rep", "partner-a"),
    "manager@partner-b.example": ("manager", "partner-b"),
    "rep1@partner-b.example": ("rep", "partner-b"),
    "manager@partner-c.example": ("manager", "partner-c"),
}

pytestmark = pytest.mark.xdist_group("demo")  # the package shares one seed (conftest.py)


def test_it_creates_every_demo_sign_in_with_its_role_and_the_demo_password(demo: Demo, client: Any) -> None:
    for email, (role, org_slug) in SIGN_INS.items():
        user = User.objects.select_related("membership__organization").get(email=email)
        assert (user.membership.role, user.membership.organization.slug) == (role, org_slug), email
        assert user.check_password("kizuna-demo"), email
    assert client.login(email="rep1@partner-a.example", password="kizuna-demo")
    assert not client.login(email="rep1@partner-a.example", password="wrong-password")


def test_it_prints_the_sign_ins_with_the_password(demo: Demo) -> None:
    for email in SIGN_INS:
        assert email in demo.output
    assert "kizuna-demo" in demo.output


def test_three_partners_have_teams_and_about_thirty_reps_with_japanese_names(demo: Demo) -> None:
    # partner-d is the agency still being set up (kizuna/demo/guidance.py): one team, nobody yet.
    partners = (
        Organization.objects.filter(kind="partner")
        .exclude(slug="partner-d")
        .annotate(
            teams_count=Count("teams", distinct=True),
            reps_count=Count("memberships", filter=Q(memberships__role="rep"), distinct=True),
        )
    )
    assert sorted(p.slug for p in partners) == ["partner-a", "partner-b", "partner-c"]
    for partner in partners:
        assert 2 <= partner.teams_count <= 3, partner.slug
        assert partner.reps_count >= 6, partner.slug
    assert 25 <= sum(p.reps_count for p in partners) <= 35
    assert Organization.objects.get(kind="principal").name == "絆ソフト株式会社"
    reps = Membership.objects.filter(role="rep").select_related("user", "team")
    assert all(" " in m.user.name and m.team is not None for m in reps)
    assert all(m.user.email.startswith("rep") and m.user.email.endswith(".example") for m in reps)


def test_the_courses_are_published_with_their_story_tags_and_articles_instead_of_videos(demo: Demo) -> None:
    foundation = [spec.slug for spec in content.COURSES]
    courses = Course.objects.filter(slug__in=foundation, latest_version__isnull=False).prefetch_related(
        "latest_version__tags"
    )
    assert courses.count() == 5
    story_tags = {c.slug: {t.slug for t in c.latest_version.tags.all() if t.kind == "story"} for c in courses}
    assert "founder_story" in story_tags["founder-story"]
    assert "customer_voice" in story_tags["customer-voice-yamamoto"]
    assert "failure_case" in story_tags["failure-case-logistics"]
    basics = Course.objects.get(slug="product-basics").latest_version
    assert basics.lesson_count >= 4
    lessons = PublishedLesson.objects.filter(version__course__slug__in=foundation)
    assert not PublishedLesson.objects.filter(kind__in=["video", "micro"]).exists()  # --no-video
    assert all(lesson.body_html.strip() for lesson in lessons)


def test_every_capability_adds_its_demo_content(demo: Demo) -> None:
    kinds = set(PublishedLesson.objects.values_list("kind", flat=True))
    assert {"article", "quiz", "scenario"} <= kinds
    from kizuna.updates.models import FlashUpdate

    assert FlashUpdate.objects.count() >= 3


def test_assignments_cover_overdue_due_soon_optional_and_one_team(demo: Demo) -> None:
    now = timezone.now()
    partner_wide = Assignment.objects.filter(team__isnull=True, rep__isnull=True)
    assert partner_wide.filter(required=True, due_at__lt=now).values("partner").distinct().count() == 3
    assert partner_wide.filter(required=True, due_at__gt=now, due_at__lt=now + timedelta(days=4)).exists()
    # Optional courses reach at least the three main agencies (the imported SCORM/cmi5 course reaches every one).
    assert partner_wide.filter(required=False).values("partner").distinct().count() >= 3
    team_only = Assignment.objects.get(team__isnull=False)
    assert team_only.team.organization.slug == "partner-a"
    overdue_course = partner_wide.get(partner__slug="partner-c", required=True, due_at__lt=now).course
    finished = CourseProgress.objects.filter(course=overdue_course, completed_at__isnull=False)
    assert finished.count() < Membership.objects.filter(role="rep").count()  # someone is overdue


def test_rep1_of_partner_a_has_something_to_continue_and_a_required_course_to_do(demo: Demo) -> None:
    rep = User.objects.get(email="rep1@partner-a.example")
    in_progress = CourseProgress.objects.filter(user=rep, completed_at__isnull=True, lessons_completed__gt=0)
    assert in_progress.exists()
    assert LessonProgress.objects.filter(user=rep, completed_at__isnull=True).exists()
    assert CourseProgress.objects.filter(user=rep, completed_at__isnull=False).exists()
    required = Assignment.objects.filter(partner__slug="partner-a", required=True).values_list("course_id", flat=True)
    finished = CourseProgress.objects.filter(user=rep, completed_at__isnull=False).values_list("course_id", flat=True)
    assert set(required) - set(finished)


def _completion(slug: str) -> float:
    reps = Membership.objects.filter(organization__slug=slug, role="rep").count()
    done = CourseProgress.objects.filter(partner__slug=slug, completed_at__isnull=False).count()
    return done / reps


def test_partner_a_has_finished_more_than_partner_c_and_some_reps_have_not_started(demo: Demo) -> None:
    assert _completion("partner-a") > _completion("partner-b") > _completion("partner-c") > 0
    # Some reps have not started the courses (they may still have read a flash update or played a scenario).
    foundation = [spec.slug for spec in content.COURSES]
    reps_with_history = (
        Statement.objects.filter(actor__membership__role="rep", course__slug__in=foundation)
        .values("actor")
        .distinct()
        .count()
    )
    assert 0 < Membership.objects.filter(role="rep").count() - reps_with_history <= 5


def test_the_history_spans_five_weeks_in_the_past_with_recent_activity(demo: Demo) -> None:
    now = timezone.now()
    learner = Statement.objects.filter(actor__membership__role="rep")
    oldest = learner.order_by("timestamp").first().timestamp
    assert timedelta(days=28) < now - oldest < timedelta(days=42)
    assert not learner.filter(timestamp__gt=now).exists()
    for slug in ("partner-a", "partner-b"):
        assert learner.filter(partner__slug=slug, timestamp__gt=now - timedelta(days=7)).exists(), slug


def test_partner_b_manager_sees_only_partner_b_reps_and_none_of_partner_a(demo: Demo) -> None:
    manager_b = User.objects.get(email="manager@partner-b.example")
    rep_a = User.objects.get(email="rep1@partner-a.example")
    visible = visible_reps(manager_b)
    assert visible.count() == Membership.objects.filter(organization__slug="partner-b", role="rep").count()
    assert not visible.filter(pk=rep_a.pk).exists()
    assert not visible_reps(User.objects.get(email="rep1@partner-b.example")).filter(pk=rep_a.pk).exists()


def test_the_progress_is_what_the_statements_say(demo: Demo) -> None:
    before = sorted(CourseProgress.objects.values_list("user_id", "course_id", "lessons_completed", "completed_at"))
    rebuild_all()
    after = sorted(CourseProgress.objects.values_list("user_id", "course_id", "lessons_completed", "completed_at"))
    assert before == after


def test_running_it_again_changes_nothing_and_says_so(demo: Demo) -> None:
    counts = (User.objects.count(), Statement.objects.count(), Course.objects.count())
    out = StringIO()
    call_command("demo_seed", "--no-video", stdout=out)
    assert (User.objects.count(), Statement.objects.count(), Course.objects.count()) == counts
    assert "rep1@partner-a.example" in out.getvalue()


def _month_with_a_full_history() -> date:
    """The month a manager would look at: this one once a week has passed, else the last one (the history
    covers the five weeks before today)."""
    today = timezone.localdate()
    if today.day > 7:
        return today.replace(day=1)
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def test_partner_a_shows_a_realistic_spread_of_learning_time(demo: Demo) -> None:
    partner = Organization.objects.get(slug="partner-a")
    rows = compliance_for_partner(partner=partner, month=_month_with_a_full_history()).rows
    short = [r for r in rows if r.minutes_short]
    far_short = [r for r in short if r.minutes < r.expected_minutes / 2]
    assert len(rows) == 12
    assert len(rows) - len(short) >= 8, sorted(r.minutes for r in rows)  # most reps keep up
    assert 2 <= len(short) <= 4, sorted(r.minutes for r in rows)  # a few do not
    assert 1 <= len(far_short) <= 2, sorted(r.minutes for r in rows)  # and one or two are far behind


def test_no_demo_rep_is_told_they_were_certified_and_then_to_redo_it(demo: Demo) -> None:
    told = Notification.objects.filter(kind__startswith="certification.")
    assert told.exists()
    assert not told.filter(kind="certification.suspended").exists()
    certified = set(Holding.objects.filter(status="certified").values_list("rep_id", "certification_id"))
    for rep_id, certification_id in told.filter(kind="certification.earned").values_list("recipient_id", "subject_id"):
        assert (rep_id, certification_id) in certified


def test_demo_notifications_are_dated_when_their_event_happened_and_agree_with_it(demo: Demo) -> None:
    now = timezone.now()
    assert not Notification.objects.filter(created_at__gt=now).exists()
    for notification in Notification.objects.filter(kind="certification.earned"):
        assert changed_subjects(notification.recipient, [notification]) == {}
    requested = Notification.objects.filter(kind="coaching.review_requested")
    assert requested.filter(created_at__lt=now - timedelta(days=1)).exists()  # reviews asked for days ago


def test_the_demo_bell_counts_groups_and_does_not_drown_rep1(demo: Demo) -> None:
    rep = User.objects.get(email="rep1@partner-a.example")
    assert rep.unread_notifications == unread_groups_count(rep)
    assert 1 <= rep.unread_notifications <= 6


def test_the_demo_shows_a_new_agency_being_set_up_and_a_busy_support_desk(demo: Demo) -> None:
    from kizuna.orgs.readiness import setup_open_steps
    from kizuna.support.models import HelpPage, Ticket

    new_agency = Organization.objects.get(slug="partner-d")
    assert {s.key for s in setup_open_steps(new_agency)} == {"manager", "agreement", "courses", "reps"}
    assert setup_open_steps(Organization.objects.get(slug="partner-b")) == []
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {"new", "in_progress", "answered", "closed"} <= statuses
    assert (
        Ticket.objects.exclude(partner__slug="partner-a").exists()
        and Ticket.objects.filter(partner__slug="partner-a").exists()
    )
    assert HelpPage.objects.filter(from_ticket__isnull=False).exists()


def test_every_statement_the_demo_makes_is_valid_xapi_as_served(demo: Demo) -> None:
    """Each statement through Ralph's xAPI 1.0.3 models (and the Video Profile's), plus what xAPI adds, and through
    the LRS's own validator (what /xapi/ demands of anything sent to it)."""
    from kizuna.lrs import validation
    from kizuna.lrs.http import XapiError
    from kizuna.records.services import statement_to_xapi
    from kizuna.records.tests.xapi_validation import xapi_problems

    failures = {}
    checked = 0
    for st in Statement.objects.select_related("actor").order_by("seq").iterator(chunk_size=2000):
        checked += 1
        data = statement_to_xapi(st)
        problems = xapi_problems(data)
        try:
            validation.statement(data, "1.0.3")
        except XapiError as error:
            problems.append(f"LRS validator: {error}")
        if problems:
            failures[str(st.id)] = (st.verb, problems[:3])
    assert checked > 3000
    assert len(failures) == 0, list(failures.items())[:5]


def test_the_demo_has_reps_word_questions_and_the_notices_about_them(demo: Demo) -> None:
    from kizuna.plain.models import Term, WordQuestion
    from kizuna.plain.selectors import most_asked_words

    assert Term.objects.filter(is_jargon=True).exclude(explanation_ja="").exists()
    assert most_asked_words()[0]["word"] == "打刻" and most_asked_words()[0]["reps"] == 3
    assert WordQuestion.objects.filter(partner__slug="partner-c").exists()  # asks from more than one agency
    assert WordQuestion.objects.filter(authors_notified_at__isnull=True).count() == 1  # waits for the next notice
    author = User.objects.get(email="author@principal.example")
    assert Notification.objects.filter(recipient=author, kind="plain.words_asked").count() == 1
    told = Notification.objects.filter(kind="plain.word_explained")
    assert set(told.values_list("recipient__email", flat=True)) == {"rep2@partner-a.example", "rep1@partner-c.example"}


def test_the_demo_shows_stale_content_first_and_success_stories_at_every_step(demo: Demo) -> None:
    from kizuna.freshness.selectors import review_list
    from kizuna.stories.models import SuccessStory as Story

    author = User.objects.get(email="author@principal.example")
    rows = review_list(author)
    statuses = [row.status for row in rows]
    # The product's courses are flagged (a flag outranks their review date), then what is due soon, then current.
    assert statuses[0] == "flagged" and {"due_soon", "current"} <= set(statuses)
    assert statuses == sorted(statuses, key=lambda s: ["flagged", "overdue", "due_soon", "no_date", "current"].index(s))
    assert any(row.freshness and row.freshness.confirmed_by_id == author.pk for row in rows)

    pairs = set(Story.objects.values_list("status", "rep__email"))
    assert {
        ("published", "rep2@partner-a.example"),
        ("interviewed", "rep1@partner-b.example"),
        ("nominated", "rep1@partner-a.example"),
    } <= pairs
    published = Story.objects.get(status="published", rep__email="rep2@partner-a.example")
    assert published.course is not None and published.credited_as
    assert Notification.objects.filter(recipient=published.rep, kind="stories.published").exists()
