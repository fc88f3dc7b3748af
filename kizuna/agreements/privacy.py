"""Agreements' part of a person's data: learning time, their departure record and the reports sent to them."""

from typing import Any

from django.utils import timezone

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import AgreementVersion, DepartedRep, LearningTimeDay, LearningTimeMonth, ReportSent


def _erase(user: Any) -> None:
    # Erased on request before the retention period ended: the daily job has nothing left to do.
    DepartedRep.objects.filter(user=user, anonymized_at__isnull=True).update(anonymized_at=timezone.now())


register(
    Contribution(
        app="agreements",
        parts=(
            Part("learning_time_days", LearningTimeDay, "rep", Erasure.KEEP),
            Part("learning_time_months", LearningTimeMonth, "rep", Erasure.KEEP),
            Part("departure", DepartedRep, "user", Erasure.KEEP),
            Part("reports_sent", ReportSent, "recipient", Erasure.DELETE),
        ),
        excluded=(
            Excluded(AgreementVersion, "created_by", STAFF_ACTION),
            Excluded(
                AgreementVersion,
                "accepted_by",
                "the agency's acceptance of its agreement is the agencies' contract record (the name is kept "
                "in the version for that reason)",
            ),
        ),
        erase=_erase,
    )
)
