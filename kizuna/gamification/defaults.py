"""The rules, levels and first badges gamification starts with, stored the first time it is used.

Until then the rules page shows these (selectors.point_rules, selectors.levels) without storing them.
"""

from .models import Badge, EventKind

# kind: (points, daily cap, threshold)
DEFAULT_RULES = {
    EventKind.LESSON_COMPLETED: (10, 30, 0),
    EventKind.COURSE_FINISHED: (50, 5, 0),
    EventKind.QUIZ_PASSED: (20, 10, 0),
    EventKind.PERFECT_SCORE: (10, 10, 0),
    EventKind.SCENARIO_ALIGNED: (30, 5, 0.8),
    EventKind.REVIEW_GIVEN: (15, 10, 0),
    EventKind.HELPFUL_ANSWER: (10, 10, 0),
    EventKind.STREAK_DAY: (5, 1, 2),
    EventKind.LIVE_ATTENDED: (20, 3, 0),
    EventKind.SUCCESS_STORY: (100, 1, 0),
}
DEFAULT_LEVELS = [
    (1, 0, "ルーキー", "Rookie"),
    (2, 100, "ルーキー+", "Rookie+"),
    (3, 300, "チャレンジャー", "Challenger"),
    (4, 700, "プロ", "Pro"),
    (5, 1500, "エキスパート", "Expert"),
    (6, 3000, "マスター", "Master"),
]
DEFAULT_BADGES = [
    ("first-course", "はじめての修了", "First course finished", "コースをはじめて修了しました。",
     "Finished a first course.", Badge.Criterion.EVENTS, EventKind.COURSE_FINISHED, 1, "#1d4e89"),
    ("perfect-score", "満点", "Perfect score", "確認テストで満点を取りました。",
     "Scored full marks on a quiz.", Badge.Criterion.EVENTS, EventKind.PERFECT_SCORE, 1, "#b8860b"),
    ("streak-7", "7日連続", "Seven days in a row", "7日続けて学習しました。",
     "Learned seven days in a row.", Badge.Criterion.STREAK, "", 7, "#2e7d32"),
    ("helpful-5", "頼れる回答者", "Helpful answerer", "コミュニティの回答が5回役に立ちました。",
     "Five answers in the community were found helpful.", Badge.Criterion.EVENTS,
     EventKind.HELPFUL_ANSWER, 5, "#6a1b9a"),
    ("success-story", "成功事例の主役", "Success story", "あなたの成功事例がレッスンになりました。",
     "Your success became a lesson for other reps.", Badge.Criterion.EVENTS, EventKind.SUCCESS_STORY, 1,
     "#c2185b"),
]  # fmt: skip
