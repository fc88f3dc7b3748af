"""Measure the reading level of every lesson saved before levels were stored on the lesson."""

from django.db import migrations


def measure(apps, schema_editor):
    Lesson = apps.get_model("catalog", "Lesson")
    lessons = Lesson.objects.filter(reading_level__isnull=True).exclude(body="")
    if not lessons.exists():
        return
    from kizuna.plain.analysis import analyse, language_of

    for lesson in lessons.iterator():
        if not lesson.body.strip():
            continue
        lang = language_of(lesson.body)
        lesson.reading_level, lesson.reading_lang = analyse(lesson.body, lang=lang).level, lang
        lesson.save(update_fields=["reading_level", "reading_lang"])


class Migration(migrations.Migration):
    dependencies = [
        ("plain", "0003_word_question_notices"),
        ("catalog", "0007_lesson_reading_lang_lesson_reading_level"),
    ]

    operations = [migrations.RunPython(measure, migrations.RunPython.noop)]
