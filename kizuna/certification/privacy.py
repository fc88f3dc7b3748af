"""Certification's part of a person's data: their evidence, holdings and certification/entitlement history."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import (
    Certification,
    CertificationEvent,
    EntitlementEvent,
    Evidence,
    Holding,
    Reopening,
    RequirementRep,
    WebhookEndpoint,
)

register(
    Contribution(
        app="certification",
        parts=(
            Part("certification_evidence", Evidence, "rep", Erasure.KEEP),
            Part("certifications", Holding, "rep", Erasure.KEEP),
            Part("certification_events", CertificationEvent, "rep", Erasure.KEEP),
            Part("entitlement_events", EntitlementEvent, "rep", Erasure.KEEP),
            Part("certification_requirements_given", RequirementRep, "rep", Erasure.KEEP),
        ),
        excluded=(
            Excluded(Certification, "created_by", STAFF_ACTION),
            Excluded(Reopening, "reopened_by", STAFF_ACTION),
            Excluded(WebhookEndpoint, "created_by", STAFF_ACTION),
            Excluded(RequirementRep, "added_by", STAFF_ACTION),
        ),
    )
)
