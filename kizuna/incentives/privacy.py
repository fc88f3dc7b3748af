"""Incentives' part of a person's data: none; rules are the organisation's (statements are computed, not stored)."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Excluded, register

from .models import IncentiveRule

register(Contribution(app="incentives", excluded=(Excluded(IncentiveRule, "created_by", STAFF_ACTION),)))
