"""The five story tags every deployment has (GLOSSARY.md): (slug, Japanese, English). Plain data, so migrations may use it."""

STORY_TAGS = [
    ("founder_story", "創業者の想い", "founder's story"),
    ("customer_voice", "お客様の声", "customer voice"),
    ("failure_case", "失敗事例", "failure case"),
    ("partner_success", "パートナー成功事例", "partner success"),
    ("product_update", "製品アップデート", "product update"),
]
