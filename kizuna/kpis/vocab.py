"""The statements the KPI rollups read: terms owned by other apps, named here only to recognise their IRIs."""

from kizuna.records.vocab import ADL_ACTIVITIES, Term

TYPE_ASSESSMENT = Term(ADL_ACTIVITIES + "assessment", "確認テスト", "assessment")
TYPE_SCENARIO = Term("activity-types/scenario", "シナリオ", "scenario", own=True)
TYPE_ROLEPLAY = Term("activity-types/roleplay", "ロールプレイ", "roleplay", own=True)
TYPE_COMMUNITY_ANSWER = Term("activity-types/community-answer", "コミュニティの回答", "community answer", own=True)
RECEIVED = Term("http://activitystrea.ms/schema/1.0/receive", "受け取った", "received")
EXT_ALIGNMENT = Term("extensions/alignment", "トップ営業との一致率", "top-rep alignment", own=True)
EXT_RECOGNITION = Term("extensions/recognition", "評価", "recognition", own=True)

# Experiments (rollouts drawn at random): one statement per rep says which arm or wave the draw put them in.
ALLOCATED = Term("verbs/allocated", "割り付けた", "allocated", own=True)
TYPE_EXPERIMENT = Term("activity-types/experiment", "実験", "experiment", own=True)
EXT_ARM = Term("extensions/experiment-arm", "実験の群", "experiment arm or wave", own=True)
EXT_RELEASE = Term("extensions/release-month", "受講開始月", "month the content is released", own=True)
EXT_SEED = Term("extensions/random-seed", "乱数シード", "random seed", own=True)
EXT_STRATUM = Term("extensions/stratum", "層", "stratum", own=True)
EXT_POSITION = Term("extensions/draw-position", "抽選順", "position in the draw", own=True)
OWN_TERMS = (ALLOCATED, TYPE_EXPERIMENT, EXT_ARM, EXT_RELEASE, EXT_SEED, EXT_STRATUM, EXT_POSITION)
