"""Partner A's objects for the isolation walk: freshness pages are the principal's authors' only."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from .helpers import linked_lesson, product

    prod = product(name="分離テスト", slug="isolation-product")
    lesson = linked_lesson(cast, prod)
    return {"review_kind": "lesson", "review_object_id": lesson.pk, "product_id": prod.pk}
