"""Reordering the rows of an author's list (lessons, quiz items, choices, survey questions) by one step."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet


def position_swap(siblings: QuerySet[Any], *, pk: int, direction: int) -> bool:
    """Swap a row with its neighbour among its siblings (direction -1 = up, +1 = down), numbering them 1…n.

    Return False, changing nothing, when the row is already at that end.
    """
    ids = list(siblings.order_by("position", "id").values_list("pk", flat=True))
    index = ids.index(pk)
    other = index + direction
    if not 0 <= other < len(ids):
        return False
    ids[index], ids[other] = ids[other], ids[index]
    with transaction.atomic():
        for position, row_id in enumerate(ids, start=1):
            siblings.model.objects.filter(pk=row_id).update(position=position)
    return True
