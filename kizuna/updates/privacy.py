"""Flash updates' part of a person's data: what they read and acknowledged, and the e-mails sent to them."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import FlashUpdate, MailSent, Receipt, Recipient

register(
    Contribution(
        app="updates",
        parts=(
            Part("flash_update_receipts", Receipt, "rep", Erasure.KEEP),
            Part("flash_update_mails", MailSent, "rep", Erasure.DELETE),
            Part("flash_update_recipients", Recipient, "rep", Erasure.KEEP),
        ),
        excluded=(Excluded(FlashUpdate, "created_by", STAFF_ACTION), Excluded(Recipient, "added_by", STAFF_ACTION)),
    )
)
