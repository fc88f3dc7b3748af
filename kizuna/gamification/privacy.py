"""Gamification's part of a person's data: points, scores, badges, kudos and spotlights."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import BadgeAward, BadgeRevocation, Celebration, Kudos, PeriodScore, PointAward, RepScore, Spotlight

register(
    Contribution(
        app="gamification",
        parts=(
            Part("points", PointAward, "user", Erasure.KEEP),
            Part("score", RepScore, "user", Erasure.KEEP),
            Part("period_scores", PeriodScore, "user", Erasure.KEEP),
            Part("badges", BadgeAward, "user", Erasure.KEEP, omit=()),
            Part("badge_revocations", BadgeRevocation, "user", Erasure.KEEP, omit=("revoked_by",)),
            Part("celebrations", Celebration, "user", Erasure.DELETE),
            # Kudos received name the sender only by id. Erasure empties the messages, sent and received: a text
            # about the person identifies them as well as one by them.
            Part(
                "kudos_received",
                Kudos,
                "recipient",
                Erasure.SCRUB,
                fields=("sender_id", "message", "created_at"),
                scrub={"message": ""},
            ),
            Part("kudos_sent", Kudos, "sender", Erasure.SCRUB, scrub={"message": ""}),
            Part(
                "spotlights",
                Spotlight,
                "rep",
                Erasure.SCRUB,
                fields=("month", "note", "created_at"),
                scrub={"note": ""},
            ),
        ),
        excluded=(
            Excluded(BadgeRevocation, "revoked_by", STAFF_ACTION),
            Excluded(Spotlight, "chosen_by", STAFF_ACTION),
        ),
    )
)
