"""Community's part of a person's data: their questions, answers, votes, follows and reports.

Erasing a departed person keeps their posts as placeholders (others' answers and votes hang on them)
but removes what they wrote and their photos; the search index and statement names follow.
"""

from collections.abc import Iterator
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from django.db import transaction
from django.db.models import Q

from kizuna.accounts.personal_data import (
    ERASED_ACTIVITY_NAME,
    STAFF_ACTION,
    Contribution,
    Erasure,
    Excluded,
    ExportFile,
    Part,
    register,
)
from kizuna.ops.storage import stored_open, stored_size

from . import vocab
from .images import image_remove
from .models import Answer, Follow, Question, Report, Vote

ERASED_TITLE = "（削除されました / erased）"
POST_OMIT = ("body_html", "edited_by", "hidden_by", "accepted_by", "search_title", "search_body", "search_answers")
POST_SCRUB = {"body": "", "body_html": "", "image": "", "image_width": None, "image_height": None}


def _files(user: Any) -> Iterator[ExportFile]:
    for model, kind in ((Question, "question"), (Answer, "answer")):
        for post in model.objects.filter(author=user).exclude(image="").only("pk", "image", "created_at"):
            size = stored_size(post.image)
            if size is not None:
                yield ExportFile(
                    archive_name=f"community/{kind}-{post.pk}{PurePosixPath(post.image).suffix}",
                    open=partial(stored_open, post.image),
                    size=size,
                    metadata={"post": f"{kind}-{post.pk}", "created_at": post.created_at.isoformat()},
                )


def _erase(user: Any) -> None:
    from kizuna.records.privacy import statements_object_rename

    from .services import _reindex, question_iri

    images = list(Question.objects.filter(author=user).exclude(image="").values_list("image", flat=True))
    images += list(Answer.objects.filter(author=user).exclude(image="").values_list("image", flat=True))
    questions = list(Question.objects.filter(author=user))
    Question.objects.filter(author=user).update(title=ERASED_TITLE, search_title="", search_body="", **POST_SCRUB)
    Answer.objects.filter(author=user).update(search_tokens="", **POST_SCRUB)
    Report.objects.filter(reporter=user).update(reason="")
    statements_object_rename(object_iris=[question_iri(q) for q in questions], name=ERASED_ACTIVITY_NAME)
    touched = set(Answer.objects.filter(author=user).values_list("question_id", flat=True))
    for question in Question.objects.filter(Q(pk__in=touched) | Q(author=user)):
        _reindex(question)
    transaction.on_commit(lambda: [image_remove(name) for name in images])


def _free_text_statements() -> Q:
    return Q(object_type__in=[vocab.TYPE_QUESTION.iri, vocab.TYPE_ANSWER.iri])


register(
    Contribution(
        app="community",
        parts=(
            Part("community_questions", Question, "author", Erasure.SCRUB, omit=POST_OMIT),
            Part("community_answers", Answer, "author", Erasure.SCRUB, omit=(*POST_OMIT, "search_tokens")),
            Part("community_votes", Vote, "voter", Erasure.KEEP),
            Part("community_follows", Follow, "user", Erasure.DELETE),
            Part("community_reports", Report, "reporter", Erasure.SCRUB, omit=("resolved_by",)),
        ),
        excluded=(
            Excluded(Question, "edited_by", STAFF_ACTION),
            Excluded(Question, "hidden_by", STAFF_ACTION),
            Excluded(Answer, "edited_by", STAFF_ACTION),
            Excluded(Answer, "hidden_by", STAFF_ACTION),
            Excluded(Answer, "accepted_by", STAFF_ACTION),
            Excluded(Report, "resolved_by", STAFF_ACTION),
        ),
        files=_files,
        erase=_erase,
        free_text_statements=_free_text_statements,
    )
)
