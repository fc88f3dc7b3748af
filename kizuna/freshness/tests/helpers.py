"""What the freshness tests share: a product and a lesson linked to it."""

from datetime import date
from typing import Any

from conftest import publish_course


def product(name: str = "クラウドPro", slug: str = "cloud-pro") -> Any:
    from kizuna.catalog.services import product_create

    return product_create(name=name, slug=slug)


def linked_lesson(cast: Any, prod: Any, *, review_by: date | None = None) -> Any:
    """Publish a one-lesson course and link its draft lesson to the product; return the draft lesson."""
    from kizuna.freshness.services import freshness_set

    course = publish_course(
        cast,
        slug=f"fresh-{prod.slug}",
        title="料金の説明",
        lessons=[{"kind": "article", "title": "料金", "body": "月額"}],
    )
    lesson = course.modules.get().lessons.get()
    freshness_set(user=cast.author, kind="lesson", object_id=lesson.pk, review_by=review_by, products=[prod])
    return lesson
