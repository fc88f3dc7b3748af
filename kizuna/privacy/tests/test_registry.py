"""Every foreign key to the user model is either exported or excluded with a reason, so none is forgotten."""

from django.apps import apps
from django.contrib.auth import get_user_model

from kizuna.accounts.personal_data import contributions


def _covered() -> set[tuple[str, str]]:
    covered = set()
    for contribution in contributions():
        for part in contribution.parts:
            covered.add((part.model._meta.label, part.user_field.split("__")[0]))
        for excluded in contribution.excluded:
            assert len(excluded.reason.strip()) > 20, f"say why {excluded.model._meta.label} is excluded"
            covered.add((excluded.model._meta.label, excluded.user_field))
    return covered


def test_every_foreign_key_to_the_user_is_exported_or_excluded_with_a_reason():
    user_model = get_user_model()
    covered = _covered()
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and field.related_model is user_model
        and (model._meta.label, field.name) not in covered
    ]
    assert not missing, (
        "add these to the app's privacy.py, as a Part (exported, with its erasure rule) or Excluded (why not): "
        + ", ".join(missing)
    )


def test_the_walk_sees_the_models_it_must_cover():
    covered = _covered()
    assert ("records.Statement", "actor") in covered
    assert ("community.Question", "author") in covered
    assert ("coaching.Submission", "rep") in covered


def test_part_names_are_unique_file_names():
    names = [part.name for c in contributions() for part in c.parts]
    assert len(names) == len(set(names))


def test_every_part_lists_only_columns_that_exist(db):
    # values() raises on an unknown lookup: build each part's query once.
    for contribution in contributions():
        for part in contribution.parts:
            str(part.model._default_manager.values(*part.columns()).query)


def test_every_part_has_a_name_on_screen():
    from kizuna.privacy.labels import PART_LABELS

    missing = [part.name for c in contributions() for part in c.parts if part.name not in PART_LABELS]
    assert not missing, f"name these in kizuna/privacy/labels.py: {missing}"
