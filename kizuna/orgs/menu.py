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
            Entry("home", _("Home"), (REP,)),
            Entry("review", _("Review"), (REP,)),
            Entry("updates", _("Flash updates"), EVERYONE),
            Entry("roleplay_home", _("Roleplay"), (REP,)),
            Entry("live_sessions", _("Live sessions"), (REP,)),
            Entry("surveys", _("Surveys"), (REP,)),
            Entry("my_progress", _("Progress"), (REP,)),
        ),
    ),
    Section(
        _("Achievements"),
        (
            Entry("rankings", _("Rankings"), EVERYONE),
            Entry("badges", _("Badges"), (REP,)),
            Entry("certifications", _("Certifications"), EVERYONE),
        ),
    ),
    Section(
        _("Share"),
        (
            Entry("community", _("Community"), EVERYONE),
            Entry("field_voice", _("Field voice"), (REP,)),
        ),
    ),
    Section(
        _("Making content"),
        (
            Entry("studio", _("Courses"), (ADMIN, AUTHOR)),
            Entry("studio_quizzes", _("Quizzes"), (ADMIN, AUTHOR)),
            Entry("studio_scenarios", _("Scenarios"), STAFF),
            Entry("studio_surveys", _("Surveys"), (ADMIN, AUTHOR)),
            Entry("videos", _("Videos"), STAFF),
            Entry("live_sessions", _("Live sessions"), (*STAFF, MANAGER)),
            Entry("feedback_inbox", _("Feedback inbox"), (*STAFF, MANAGER)),
        ),
    ),
    Section(
        _("Coaching"),
        (
            Entry("roleplay_home", _("Roleplays"), (*STAFF, MANAGER)),
            Entry("roleplay_calibration", _("Calibration"), (ADMIN, COACH)),
        ),
    ),
    Section(
        _("Results"),
        (
            Entry("principal_dashboard", _("Dashboard"), STAFF),
            Entry("partner_dashboard", _("Dashboard"), (MANAGER,)),
            Entry("quiz_results", _("Quiz results"), (MANAGER,)),
            Entry("quiz_analysis_list", _("Quiz analysis"), (ADMIN, COACH)),
            Entry("partner_scenarios", _("Scenarios"), (MANAGER,)),
            Entry("principal_scenarios", _("Scenario analysis"), STAFF),
            Entry("surveys", _("Survey results"), (ADMIN, AUTHOR, COACH, MANAGER)),
            Entry("kpi_board", _("KPIs"), (ADMIN, COACH, MANAGER)),
            Entry("rising_talent", _("Rising talent"), (ADMIN, COACH, MANAGER)),
        ),
    ),
    Section(
        _("Agreement"),
        (
            Entry("agreements", _("Agreements"), (ADMIN,)),
            Entry("my_agreement", _("Agreement"), (MANAGER,)),
            Entry("compliance", _("Compliance"), (ADMIN, MANAGER)),
            Entry("learning_time", _("Learning time"), (ADMIN, MANAGER)),
            Entry("incentives", _("Incentives"), (ADMIN, COACH, MANAGER)),
        ),
    ),
    Section(
        _("Administration"),
        (
            Entry("partners", _("Partners"), (ADMIN,)),
            Entry("people", _("People"), (ADMIN, MANAGER)),
            Entry("assignments", _("Assignments"), (ADMIN,)),
            Entry("gamification_admin", _("Points and badges"), (ADMIN,)),
            Entry("sharing_settings", _("Sharing across agencies"), (ADMIN,)),
            Entry("webhooks", _("Webhooks"), (ADMIN,)),
            Entry("api_tokens", _("API tokens"), (ADMIN,)),
            Entry("privacy_erasure", _("Erasure of departed people"), (ADMIN,)),
        ),
    ),
    Section(
        _("Me"),
        (
            Entry("notifications", _("Notifications"), EVERYONE),
            Entry("profile", _("Profile"), EVERYONE),
            Entry("my_data", _("My data"), EVERYONE),
            Entry("privacy_notice", _("Privacy"), EVERYONE),
        ),
    ),
)


# The top bar, in order: a rep's three daily places, a manager's agency pages, then the principal's staff.
TOP_BAR = (
    Entry("home", _("Home"), (REP,)),
    Entry("community", _("Community"), (REP,)),
    Entry("roleplay_home", _("Roleplay"), (REP,)),
    Entry("partner_dashboard", _("Dashboard"), (MANAGER,)),
    Entry("people", _("People"), (MANAGER,)),
    Entry("compliance", _("Compliance"), (MANAGER,)),
    Entry("kpi_board", _("KPIs"), (MANAGER,)),
    Entry("roleplay_home", _("Roleplays"), (MANAGER,)),
    Entry("principal_dashboard", _("Dashboard"), STAFF),
    Entry("studio", _("Courses"), (ADMIN, AUTHOR)),
    Entry("kpi_board", _("KPIs"), (ADMIN, COACH)),
    Entry("roleplay_home", _("Roleplays"), STAFF),
    Entry("community", _("Community"), STAFF),
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
