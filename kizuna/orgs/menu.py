"""Everything a person can open, by role: the menu page and the few links the top bar shows."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Membership

Role = Membership.Role
ADMIN, AUTHOR, COACH, MANAGER, REP = Role.ADMIN, Role.AUTHOR, Role.COACH, Role.MANAGER, Role.REP
STAFF = Membership.PRINCIPAL_ROLES
EVERYONE = (*STAFF, MANAGER, REP)


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Promise
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    title: Promise
    entries: tuple[Entry, ...]


SECTIONS = (
    Section(
        _("Learn"),
        (
            Entry("learning:home", _("Home"), (REP,)),
            Entry("learning:library", _("Course library"), (REP,)),
            Entry("assessments:review", _("Review"), (REP,)),
            Entry("updates:updates", _("Flash updates"), EVERYONE),
            Entry("coaching:roleplay_home", _("Roleplay"), (REP,)),
            Entry("live:live_sessions", _("Live sessions"), (REP,)),
            Entry("surveys:surveys", _("Surveys"), (REP,)),
            Entry("learning:my_progress", _("Progress"), (REP,)),
        ),
    ),
    Section(
        _("Achievements"),
        (
            Entry("gamification:rankings", _("Rankings"), EVERYONE),
            Entry("gamification:badges", _("Badges"), (REP,)),
            Entry("certification:certifications", _("Certifications"), EVERYONE),
            Entry("incentives:incentives", _("My incentives"), (REP,)),
        ),
    ),
    Section(
        _("Share"),
        (
            Entry("community:community", _("Community"), EVERYONE),
            Entry("feedback:field_voice", _("Field voice"), (REP,)),
            Entry("stories:stories", _("Success stories"), EVERYONE),
        ),
    ),
    Section(
        _("Making content"),
        (
            Entry("catalog:studio", _("Courses"), (ADMIN, AUTHOR)),
            Entry("freshness:studio", _("Freshness"), (ADMIN, AUTHOR)),
            Entry("assessments:studio_quizzes", _("Quizzes"), (ADMIN, AUTHOR)),
            Entry("scenarios:studio_scenarios", _("Scenarios"), STAFF),
            Entry("surveys:studio_surveys", _("Surveys"), (ADMIN, AUTHOR)),
            Entry("media:videos", _("Videos"), STAFF),
            Entry("plain:glossary", _("Glossary"), STAFF),
            Entry("live:live_sessions", _("Live sessions"), (*STAFF, MANAGER)),
            Entry("feedback:feedback_inbox", _("Feedback inbox"), (*STAFF, MANAGER)),
        ),
    ),
    Section(
        _("Coaching"),
        (
            Entry("coaching:coach_home", _("Reviews and field voice"), (COACH,)),
            Entry("coaching:roleplay_home", _("Roleplays"), (*STAFF, MANAGER)),
            Entry("coaching:roleplay_calibration", _("Calibration"), (ADMIN, COACH)),
        ),
    ),
    Section(
        _("Results"),
        (
            Entry("analytics:principal_dashboard", _("Dashboard"), STAFF),
            Entry("analytics:partner_dashboard", _("Dashboard"), (MANAGER,)),
            Entry("assessments:quiz_results", _("Quiz results"), (MANAGER,)),
            Entry("assessments:quiz_analysis_list", _("Quiz analysis"), (ADMIN, COACH)),
            Entry("assessments:grading_list", _("Essays to grade"), (ADMIN, COACH, MANAGER)),
            Entry("scenarios:partner_scenarios", _("Scenarios"), (MANAGER,)),
            Entry("scenarios:principal_scenarios", _("Scenario analysis"), STAFF),
            Entry("surveys:surveys", _("Survey results"), (ADMIN, AUTHOR, COACH, MANAGER)),
            Entry("kpis:kpi_board", _("KPIs"), (ADMIN, COACH, MANAGER)),
            Entry("kpis:rising_talent", _("Rising talent"), (ADMIN, COACH, MANAGER)),
        ),
    ),
    Section(
        _("Agreement"),
        (
            Entry("agreements:agreements", _("Agreements"), (ADMIN,)),
            Entry("agreements:my_agreement", _("Agreement"), (MANAGER,)),
            Entry("agreements:compliance", _("Compliance"), (ADMIN, MANAGER)),
            Entry("agreements:learning_time", _("Learning time"), (ADMIN, MANAGER)),
            Entry("incentives:incentives", _("Incentives"), (ADMIN, COACH, MANAGER)),
        ),
    ),
    Section(
        _("Administration"),
        (
            Entry("orgs:partners", _("Partners"), (ADMIN,)),
            Entry("orgs:people", _("People"), (ADMIN, MANAGER)),
            Entry("catalog:assignments", _("Assignments"), (ADMIN,)),
            Entry("gamification:gamification_admin", _("Points and badges"), (ADMIN,)),
            Entry("orgs:sharing_settings", _("Sharing across agencies"), (ADMIN,)),
            Entry("orgs:security_settings", _("Sign-in security"), (ADMIN,)),
            Entry("certification:webhooks", _("Webhooks"), (ADMIN,)),
            Entry("lrs:forwarding", _("Forwarding to an external LRS"), (ADMIN,)),
            Entry("tokens:api_tokens", _("API tokens"), (ADMIN,)),
            Entry("sso:providers", _("Single sign-on"), (ADMIN,)),
            Entry("scim:tokens", _("Provisioning (SCIM)"), (ADMIN,)),
            Entry("privacy:privacy_erasure", _("Erasure of departed people"), (ADMIN,)),
            Entry("support:queue", _("Support desk"), (ADMIN,)),
            Entry("audit:trail", _("Audit trail"), (*STAFF, MANAGER)),
        ),
    ),
    Section(
        _("Me"),
        (
            Entry("notifications:notifications", _("Notifications"), EVERYONE),
            Entry("support:tickets", _("My questions to support"), (MANAGER, REP)),
            Entry("accounts:profile", _("Profile"), EVERYONE),
            Entry("privacy:my_data", _("My data"), EVERYONE),
            Entry("privacy:privacy_notice", _("Privacy"), EVERYONE),
        ),
    ),
)


# Where each role's day starts (the sign-in lands there, and so does every link "home"): that role's work.
START_PAGES = {
    REP: "learning:home",  # what to learn next
    MANAGER: "analytics:partner_dashboard",  # their agency's reps and teams
    COACH: "coaching:coach_home",  # the reviews due to them and the new field voice
    AUTHOR: "catalog:studio",  # their courses
    ADMIN: "analytics:principal_dashboard",  # the agencies compared
}


def start_page_for(role: str) -> str:
    """Return the URL name of the page this role's day starts on."""
    return START_PAGES[role]


# The top bar, in order: a rep's three daily places, a manager's agency pages, then the principal's staff.
TOP_BAR = (
    Entry("learning:home", _("Home"), (REP,)),
    Entry("community:community", _("Community"), (REP,)),
    Entry("coaching:roleplay_home", _("Roleplay"), (REP,)),
    Entry("analytics:partner_dashboard", _("Dashboard"), (MANAGER,)),
    Entry("orgs:people", _("People"), (MANAGER,)),
    Entry("agreements:compliance", _("Compliance"), (MANAGER,)),
    Entry("kpis:kpi_board", _("KPIs"), (MANAGER,)),
    Entry("coaching:roleplay_home", _("Roleplays"), (MANAGER,)),
    Entry("coaching:coach_home", _("Home"), (COACH,)),
    Entry("analytics:principal_dashboard", _("Dashboard"), (ADMIN, AUTHOR)),  # a coach finds it in the menu
    Entry("catalog:studio", _("Courses"), (ADMIN, AUTHOR)),
    Entry("kpis:kpi_board", _("KPIs"), (ADMIN, COACH)),
    Entry("coaching:roleplay_home", _("Roleplays"), STAFF),
    Entry("community:community", _("Community"), STAFF),
)


def _links(entries: tuple[Entry, ...], role: str | None) -> list[dict[str, Any]]:
    return [
        {"url": reverse(entry.url_name), "label": entry.label, "url_name": entry.url_name}
        for entry in entries
        if role in entry.roles
    ]


def menu_for(role: str | None) -> list[dict[str, Any]]:
    """Return the menu's sections with the links this role may open (sections without one left out)."""
    sections = []
    for section in SECTIONS:
        links = _links(section.entries, role)
        if links:
            sections.append({"title": section.title, "links": links})
    return sections


def top_bar_for(role: str | None) -> list[dict[str, Any]]:
    """Return the links the top bar shows this role, before its Menu and Profile links."""
    return _links(TOP_BAR, role)
