"""The privacy app's own rows about a person: their export requests, and erasures of them."""

from typing import Any

from kizuna.accounts.personal_data import Contribution, Erasure, Excluded, Part, register

from .models import DataExport, ErasureRecord


def _erase(user: Any) -> None:
    from .services import _export_delete

    for export in DataExport.objects.filter(user=user):
        _export_delete(export)


register(
    Contribution(
        app="privacy",
        parts=(
            # The requests themselves are listed on the person's page, not inside the zip they produce.
            Part("data_exports", DataExport, "user", Erasure.DELETE, table=False),
        ),
        excluded=(
            Excluded(ErasureRecord, "person", "the erasure log is the principal's accountability record (APPI)"),
            Excluded(ErasureRecord, "erased_by", "the erasure log is the principal's accountability record (APPI)"),
        ),
        erase=_erase,
    )
)
