"""The five story tags every deployment has (GLOSSARY.md)."""

from django.db import migrations

from kizuna.catalog.story_tags import STORY_TAGS


def add_story_tags(apps, schema_editor):
    Tag = apps.get_model("catalog", "Tag")
    for slug, ja, en in STORY_TAGS:
        Tag.objects.get_or_create(kind="story", slug=slug, defaults={"name_ja": ja, "name_en": en})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(add_story_tags, migrations.RunPython.noop)]
