"""JSON API of the catalog: the courses a person may open.

One course's outline, with the rep's progress in it, is served by `learning/api.py`, which reads both.
"""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from kizuna.ops.api_types import Mapped, Page

from .schemas import CourseOut, course_out
from .selectors import courses_visible_to

router = Router()


# The operation id is part of the published OpenAPI contract: kept from kizuna.api.endpoints, where this lived.
@router.get(
    "/courses",
    response=list[CourseOut],
    tags=["courses"],
    summary="Courses the caller may open",
    operation_id="kizuna_api_endpoints_courses",
)
@paginate(Page)
def courses(request: HttpRequest) -> Mapped:
    visible = courses_visible_to(request.auth).select_related("latest_version").order_by("title", "pk")  # type: ignore[attr-defined]
    return Mapped(visible, course_out)
