"""The demo's freshness (issue 18 part 2): review dates on the courses' lessons, the product's lessons linked to
it, one product change that flagged them, and a lesson an author confirmed current last week.

Written only through the owning apps' services, as production would.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from kizuna.catalog.selectors import draft_lessons_all, products_all
from kizuna.freshness.selectors import product_changes
from kizuna.freshness.services import freshness_confirm, freshness_set, product_mark_changed

AUTHOR = "author@principal.example"
ADMIN = "admin@principal.example"
# Courses whose lessons explain the product: they depend on it.
PRODUCT_COURSES = ("product-basics", "price-questions")
# (course slug, days from today to the review date): what is overdue, due soon and current in the list.
REVIEW_IN_DAYS = {
    "price-questions": -5,
    "failure-case-logistics": 10,
    "customer-voice-yamamoto": 60,
    "product-basics": 120,
    "founder-story": 300,
}
CHANGE_NOTE = "4月から「スタンダード」プランの月額料金と、無料で使える人数(5人→3人)が変わります。"


def seed_freshness(*, now: datetime) -> None:
    if product_changes().exists():
        return
    users = get_user_model().objects
    author, admin = users.get(email=AUTHOR), users.get(email=ADMIN)
    products = list(products_all())
    if not products:
        return
    product = products[0]
    today = timezone.localdate(now)
    lessons = list(draft_lessons_all())
    for lesson in lessons:
        slug = lesson.module.course.slug
        days = REVIEW_IN_DAYS.get(slug)
        freshness_set(
            user=author,
            kind="lesson",
            object_id=lesson.pk,
            review_by=today + timedelta(days=days) if days is not None else None,
            products=[product] if slug in PRODUCT_COURSES else [],
        )
    founder = next((lesson for lesson in lessons if lesson.module.course.slug == "founder-story"), None)
    if founder is not None:
        freshness_confirm(
            user=author,
            kind="lesson",
            object_id=founder.pk,
            next_review_by=today + timedelta(days=300),
            now=now - timedelta(days=7),
        )
    product_mark_changed(user=admin, product=product, note=CHANGE_NOTE, now=now - timedelta(days=1))
