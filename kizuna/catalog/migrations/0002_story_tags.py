"""The five story tags every deployment has (GLOSSARY.md)."""

from django.db import migrations

STORY_TAGS = [
    ("founder_story", "創業者の想い", "founder's story"),
    ("customer_voice", "お客様の声", "customer voice"),
    ("failure_case", "失敗事例", "failure case"),
    ("partner_success", "パートナー成功事例", "partner success"),
    ("product_update", "製品アップデート", "product update"),
]


def add_story_tags(apps, schema_editor):
    Tag = apps.get_model("catalog", "Tag")
    for slug, ja, en in STORY_TAGS:
        Tag.objects.get_or_create(kind="story", slug=slug, defaults={"name_ja": ja, "name_en": en})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(add_story_tags, migrations.RunPython.noop)]
