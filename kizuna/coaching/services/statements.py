"""The xAPI activities of roleplays and takes, as the coaching services record them."""

from django.conf import settings

from kizuna.records.services import Activity

from .. import vocab
from ..models import Roleplay, Submission


def roleplay_iri(roleplay: Roleplay) -> str:
    return f"{settings.SITE_URL}/roleplay/{roleplay.key}"


def submission_iri(submission: Submission) -> str:
    return f"{settings.SITE_URL}/roleplay/takes/{submission.key}"


def roleplay_activity(roleplay: Roleplay) -> Activity:
    return Activity(iri=roleplay_iri(roleplay), type=vocab.TYPE_ROLEPLAY, name={"ja-JP": roleplay.title})


def submission_activity(submission: Submission) -> Activity:
    roleplay = submission.roleplay
    return Activity(
        iri=submission_iri(submission),
        type=vocab.TYPE_SUBMISSION,
        name={"ja-JP": f"{roleplay.title} #{submission.take}"},
        parents=[roleplay_iri(roleplay)],
    )
