"""Partner A's rep's data export, for the isolation walk (kizuna/tests/test_isolation.py)."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from kizuna.privacy.models import DataExport

    export = DataExport.objects.create(user=cast.rep_a1, status=DataExport.Status.READY, size=4)
    export.file.save(f"{export.key}.zip", ContentFile(b"PK\x05\x06"), save=True)
    return {"export_key": export.key}
