"""Agreement versions: writing, taking effect (sharing, re-planned assignments) and acceptance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import publish_course
from kizuna.agreements.models import AgreementVersion
from kizuna.agreements.services import (
    AgreementError,
    CourseTerm,
    agreement_version_accept,
    agreements_apply_due,
)
from kizuna.catalog.models import Assignment
from kizuna.orgs.sharing import Area, cross_agency_allowed

from .helpers import in_days, write_version


def _course(cast, slug):
    return publish_course(
        cast,
        slug=slug,
        title=slug,
        lessons=[{"kind": "article", "title": "本文", "body": "本文です。"}],
        required=False,
        partner=cast.partner_b,  # published and assigned elsewhere, so partner A starts with nothing
    )


def _agreement_assignments(cast):
    return {
        a.course.slug: (a.required, a.due_at and timezone.localdate(a.due_at))
        for a in Assignment.objects.filter(partner=cast.partner_a).select_related("course")
    }


def test_a_version_effective_today_assigns_its_courses_and_sets_sharing(cast):
    basics, manners = _course(cast, "basics"), _course(cast, "manners")
    version = write_version(
        cast,
        courses=[
            CourseTerm(course=basics, required=True, due_on=in_days(14)),
            CourseTerm(course=manners, required=False),
        ],
    )
    assert version.number == 1 and version.applied_at is not None
    assert _agreement_assignments(cast) == {"basics": (True, in_days(14)), "manners": (False, None)}
    assert cross_agency_allowed(cast.partner_a, Area.RANKINGS) is True
    assert cross_agency_allowed(cast.partner_a, Area.REVIEWS) is False


def test_a_new_version_replans_assignments_from_its_effective_date(cast):
    basics, manners, closing = _course(cast, "basics"), _course(cast, "manners"), _course(cast, "closing")
    write_version(
        cast,
        courses=[
            CourseTerm(course=basics, required=True, due_on=in_days(14)),
            CourseTerm(course=manners, required=True, due_on=in_days(7)),
        ],
    )
    second = write_version(
        cast,
        effective_from=in_days(3),
        share_reviews=True,
        courses=[
            CourseTerm(course=basics, required=True, due_on=in_days(30)),
            CourseTerm(course=closing, required=True, due_on=in_days(20)),
        ],
    )
    # Not yet: the second version takes effect in three days.
    assert second.applied_at is None
    assert _agreement_assignments(cast) == {"basics": (True, in_days(14)), "manners": (True, in_days(7))}
    assert cross_agency_allowed(cast.partner_a, Area.REVIEWS) is False
    kept = set(Assignment.objects.filter(partner=cast.partner_a).values_list("pk", flat=True))
    assert agreements_apply_due(now=timezone.now() + timedelta(days=3)) == 1
    assert cross_agency_allowed(cast.partner_a, Area.REVIEWS) is True  # the new version's sharing took effect
    assert _agreement_assignments(cast) == {
        "basics": (True, in_days(30)),  # due date moved
        "manners": (False, None),  # no longer in the agreement: still assigned, no longer required
        "closing": (True, in_days(20)),  # new
    }
    # Changed terms change the same assignments (their reminders stay with them).
    assert kept <= set(Assignment.objects.filter(partner=cast.partner_a).values_list("pk", flat=True))
    # Running the job again changes nothing.
    assert agreements_apply_due(now=timezone.now() + timedelta(days=4)) == 0
    assert Assignment.objects.filter(partner=cast.partner_a).count() == 3


def test_assignments_not_made_by_an_agreement_are_left_alone(cast, article_course):
    write_version(cast, courses=[])
    assert Assignment.objects.filter(partner=cast.partner_a, course=article_course, required=True).exists()


def test_it_refuses_a_required_course_without_due_date_and_writes_nothing(cast):
    basics = _course(cast, "basics")
    with pytest.raises(AgreementError):
        write_version(cast, courses=[CourseTerm(course=basics, required=True, due_on=None)])
    assert not AgreementVersion.objects.exists()


def test_it_refuses_an_effective_date_before_the_previous_versions(cast):
    write_version(cast, effective_from=in_days(5))
    with pytest.raises(AgreementError):
        write_version(cast, effective_from=in_days(2))


def test_the_partner_manager_accepts_a_version_and_who_and_when_are_kept(cast):
    version = write_version(cast)
    agreement_version_accept(version=version, manager=cast.manager_a)
    version.refresh_from_db()
    assert version.accepted_by == cast.manager_a and version.accepted_at is not None
    assert version.accepted_by_name == cast.manager_a.name
    with pytest.raises(AgreementError):
        agreement_version_accept(version=version, manager=cast.manager_a)


def test_it_refuses_acceptance_by_partner_b_manager_or_an_admin(cast):
    version = write_version(cast)
    for person in (cast.manager_b, cast.admin, cast.rep_a1):
        with pytest.raises(AgreementError):
            agreement_version_accept(version=version, manager=person)
    version.refresh_from_db()
    assert version.accepted_at is None
