"""The statements the KPI rollups read: terms owned by other apps, named here only to recognise their IRIs."""

from kizuna.records.vocab import ADL_ACTIVITIES, Term

TYPE_ASSESSMENT = Term(ADL_ACTIVITIES + "assessment", "確認テスト", "assessment")
TYPE_SCENARIO = Term("activity-types/scenario", "シナリオ", "scenario", own=True)
TYPE_ROLEPLAY = Term("activity-types/roleplay", "ロールプレイ", "roleplay", own=True)
TYPE_COMMUNITY_ANSWER = Term("activity-types/community-answer", "コミュニティの回答", "community answer", own=True)
RECEIVED = Term("http://activitystrea.ms/schema/1.0/receive", "受け取った", "received")
EXT_ALIGNMENT = Term("extensions/alignment", "トップ営業との一致率", "top-rep alignment", own=True)
EXT_RECOGNITION = Term("extensions/recognition", "評価", "recognition", own=True)
