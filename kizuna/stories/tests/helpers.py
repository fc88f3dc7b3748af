"""What the success story tests share: a story taken through its steps with the real services."""

from typing import Any

from kizuna.stories import services


def nominated(cast: Any, *, by: Any = None, rep: Any = None) -> Any:
    return services.story_nominate(
        by=by or cast.manager_a, rep=rep or cast.rep_a1, headline="他社に移ったお客様を取り戻した", source="kpi"
    )


def interviewed(cast: Any, *, credit: str = "name") -> Any:
    story = nominated(cast)
    services.story_consent(story=story, rep=cast.rep_a1, consent=True, credit=credit)
    return services.story_interview_save(
        story=story,
        rep=cast.rep_a1,
        situation="価格を理由に他社へ移ったお客様でした。",
        tried="移った後の困りごとを三つ聞きました。",
        worked="サポートの速さを、実際の対応記録で見せたことです。",
        advice="値引きより先に、困りごとを聞いてください。",
    )
