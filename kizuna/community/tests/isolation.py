"""Partner A's community posts for the isolation walk (kizuna/tests/test_isolation.py).

Community posts are shared across agencies by default, so the walk gets what only partner A may see: a
question of partner A's rep, answered and with photos, hidden by partner A's manager (hidden posts are seen
by their moderators only), and a report about it (in partner A's manager's queue only).
"""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.community import services

    from .conftest import photo

    question = services.question_ask(author=cast.rep_a1, title="A社だけの質問", body="A社の話です。", image=photo())
    answer = services.answer_post(question=question, author=cast.rep_a2, body="A社の回答です。", image=photo())
    report = services.post_report(post=question, reporter=cast.rep_a2, reason="社外秘が含まれています")
    services.post_hide(post=question, moderator=cast.manager_a, reason="社外秘")
    report.resolved_at = None  # keep it open in the queue
    report.save(update_fields=["resolved_at"])
    return {
        "community_question_id": question.pk,
        "answer_id": answer.pk,
        "report_id": report.pk,
        "question_key": question.key,
        "answer_key": answer.key,
    }
