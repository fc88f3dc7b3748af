"""The xAPI terms of success stories.

When a story is published, the rep it is about **receives** it: actor = the rep, verb ActivityStreams ``receive``,
object = the story (our activity type ``activity-types/success-story``). Gamification counts that statement as
the ``success_story`` event (points and the "success story" badge), once per story.
"""

from kizuna.records.vocab import RECEIVED, Term, own_iri

TYPE_SUCCESS_STORY = Term("activity-types/success-story", "パートナー成功事例", "partner success story", own=True)

OWN_TERMS = (TYPE_SUCCESS_STORY,)


def story_iri(key: object) -> str:
    return own_iri(f"success-stories/{key}")


__all__ = ["OWN_TERMS", "RECEIVED", "TYPE_SUCCESS_STORY", "story_iri"]
