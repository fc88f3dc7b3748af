"""JSON API of the reports: the progress of an agency's reps in their assigned courses."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate

from kizuna.catalog.schemas import CourseRef
from kizuna.ops.api_types import Page
from kizuna.ops.bounds import Id
from kizuna.orgs.access import Role, access_partner_for_user, access_team_for_user, membership_of
from kizuna.orgs.schemas import TeamOut

from .selectors import ProgressStatus, partner_progress_rows

router = Router()


class RepOut(Schema):
    id: int
    name: str
    email: str
    team: TeamOut | None


class ProgressRowOut(Schema):
    rep: RepOut
    course: CourseRef
    required: bool
    due_at: datetime | None
    overdue: bool
    percent: int
    completed_at: datetime | None
    last_activity_at: datetime | None
    time_spent_minutes: int


class ProgressReportFilters(Schema):
    partner_id: Id | None = Field(None, description="required for admins and coaches; managers see their own")
    team_id: Id | None = None


# The operation id is part of the published OpenAPI contract: kept from kizuna.api.endpoints, where this lived.
@router.get(
    "/reports/progress",
    response=list[ProgressRowOut],
    tags=["reports"],
    summary="Progress of reps",
    operation_id="kizuna_api_endpoints_progress_report",
)
@paginate(Page)
def progress_report(request: HttpRequest, filters: Query[ProgressReportFilters]) -> list[dict[str, Any]]:
    """One row per rep and assigned course, by rep name then course title.

    A partner manager sees their own agency (`partner_id` may be left out); admins and coaches choose
    the agency with `partner_id`. `team_id` narrows the rows to one team.
    """
    user = request.auth  # type: ignore[attr-defined]
    m = membership_of(user)
    if m is None or m.role not in (Role.ADMIN, Role.COACH, Role.MANAGER):
        raise Http404
    if filters.partner_id is not None:
        partner = access_partner_for_user(user, filters.partner_id)
    elif m.role == Role.MANAGER:
        partner = m.organization
    else:
        raise ValidationError([{"type": "missing", "loc": ("query", "partner_id"), "msg": "Field required"}])
    team = access_team_for_user(user, filters.team_id) if filters.team_id is not None else None
    if team is not None and team.organization_id != partner.pk:
        raise Http404
    return [
        {
            "rep": {
                "id": row.rep_id,
                "name": row.rep_name,
                "email": row.rep_email,
                "team": {"id": row.team_id, "name": row.team_name} if row.team_id else None,
            },
            "course": {"id": row.course_id, "title": row.course_title},
            "required": row.required,
            "due_at": row.due_at,
            "overdue": row.status == ProgressStatus.OVERDUE,
            "percent": row.percent,
            "completed_at": row.completed_at,
            "last_activity_at": row.last_activity_at,
            "time_spent_minutes": row.time_spent_minutes,
        }
        for row in partner_progress_rows(partner=partner, team=team)
    ]
