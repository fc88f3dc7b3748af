"""Writes of roleplay practice, by subject: assignments, uploads, takes, reviews (and their xAPI activities).

The maths they rest on (rubric scores, peer allocation, calibration) are pure functions in
``kizuna.coaching.scoring``. Callers import the services from here.
"""

from .reviews import (
    calibration_review_start,
    comment_add,
    review_reminders_send,
    review_submit,
    reviews_request,
    submission_decide,
)
from .roleplays import (
    CriterionInput,
    roleplay_create,
    roleplay_publish,
    roleplay_target_add,
    roleplay_target_remove,
    roleplay_update,
)
from .statements import roleplay_iri, submission_iri
from .takes import (
    exemplary_publish,
    submission_consent_set,
    submission_create,
    submission_delete,
    submission_reference_set,
    upload_finish,
)
from .uploads import (
    UPLOAD_CHUNK_BYTES,
    upload_chunk_write,
    upload_discard,
    upload_file_ready,
    upload_folder,
    upload_max_bytes,
    upload_start,
    uploads_expire,
)

__all__ = [
    "UPLOAD_CHUNK_BYTES",
    "CriterionInput",
    "calibration_review_start",
    "comment_add",
    "exemplary_publish",
    "review_reminders_send",
    "review_submit",
    "reviews_request",
    "roleplay_create",
    "roleplay_iri",
    "roleplay_publish",
    "roleplay_target_add",
    "roleplay_target_remove",
    "roleplay_update",
    "submission_consent_set",
    "submission_create",
    "submission_decide",
    "submission_delete",
    "submission_iri",
    "submission_reference_set",
    "upload_chunk_write",
    "upload_discard",
    "upload_file_ready",
    "upload_max_bytes",
    "upload_finish",
    "upload_folder",
    "upload_start",
    "uploads_expire",
]
