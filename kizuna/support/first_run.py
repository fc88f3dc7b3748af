"""The guided start of each role: a few short steps shown once, skippable, re-opened from the help.

Each step says where something is and why it matters, with a link that opens it. Japanese and English side by
side, like the built-in help.
"""

from dataclasses import dataclass

from django.utils.translation import get_language

from .help_content import ADMIN, AUTHOR, COACH, MANAGER, REP

# Set when the person finished or skipped the guided start; a year, so this browser is not offered it again.
DONE_COOKIE = "kizuna_start_done"
DONE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Set in the session at sign-in when the person already finished or skipped it (support.GuidedStart) on any
# browser, so it is offered once per person; pages read it from the session they load anyway (no query).
DONE_SESSION_KEY = "kizuna_start_done"


@dataclass(frozen=True)
class Step:
    title_ja: str
    body_ja: str
    title_en: str
    body_en: str
    url_name: str  # the screen the step shows (takes no argument)

    @property
    def title(self) -> str:
        return self.title_ja if (get_language() or "ja").startswith("ja") else self.title_en

    @property
    def body(self) -> str:
        return self.body_ja if (get_language() or "ja").startswith("ja") else self.body_en


STEPS: dict[str, tuple[Step, ...]] = {
    REP: (
        Step(
            "ホームで「次にやること」を確認",
            "期限の近い必須コースが上から並びます。すき間時間に1つずつ進めましょう。",
            "“Do this next” on Home",
            "Required courses due soonest are listed first. Take one at a time in your spare minutes.",
            "learning:home",
        ),
        Step(
            "毎日3分の復習",
            "下のメニューの「復習」に、忘れかけた問題が出ます。毎日少しずつが一番身につきます。",
            "Three minutes of review a day",
            "“Review” in the bottom bar brings back questions just before you forget them. A little every day works best.",
            "assessments:review",
        ),
        Step(
            "困ったらコミュニティへ",
            "現場で聞かれて答えられなかったことは、コミュニティで質問できます。コーチや仲間が答えます。",
            "Stuck? Ask the community",
            "Ask what a customer asked you and you could not answer; coaches and other reps reply.",
            "community:community",
        ),
        Step(
            "「?」とサポート窓口",
            "画面右上の「?」でその画面の使い方が見られます。解決しないときは画面下の「サポート窓口に質問」へ。",
            "The “?” and the support desk",
            "The “?” at the top shows how the screen you are on works. Still stuck? “Ask the support desk” at the bottom.",
            "support:help",
        ),
    ),
    MANAGER: (
        Step(
            "まず合意事項を承認",
            "委託元との学習の取り決め(必須コースと期限、学習時間の扱いなど)を確認して「承認する」を押してください。",
            "First, accept the agreement",
            "Review the learning terms agreed with the principal (required courses and due dates, how learning "
            "time counts…) and press “Accept”.",
            "agreements:my_agreement",
        ),
        Step(
            "担当者を招待",
            "担当者のアカウントは委託元の管理者が作り、招待メールを送ります。氏名とメールアドレスの一覧を送ってください"
            "(サポート窓口からでも送れます)。「メンバー」で招待状況を確認できます。",
            "Get your reps invited",
            "The principal's admin creates your reps' accounts and sends the invitations: send them the names and "
            "e-mail addresses (the support desk works too). “People” shows who has joined.",
            "orgs:people",
        ),
        Step(
            "ダッシュボードを読む",
            "担当者 × コースの表で、誰が終えて誰が期限を過ぎているかが分かります。期限超過の人から声をかけましょう。",
            "Read the dashboard",
            "The reps × courses table shows who finished and who is overdue. Start with those overdue.",
            "analytics:partner_dashboard",
        ),
        Step(
            "遵守状況と活用ノウハウ",
            "月ごとの遵守状況は毎週メールでも届きます。ヘルプの「活用ノウハウ」に、声かけのコツがあります。",
            "Compliance and tips",
            "Monthly compliance also arrives by e-mail every week. The help's tips explain how to talk people out of "
            "overdue work.",
            "agreements:compliance",
        ),
    ),
    AUTHOR: (
        Step(
            "コースを作る",
            "コース → 章 → レッスンの順に組み立てます。編集は下書きで、受講者には見えません。",
            "Build a course",
            "Courses hold modules, modules hold lessons. What you edit is a draft learners do not see.",
            "catalog:studio",
        ),
        Step(
            "公開すると版ができる",
            "「公開」で変更できない版ができ、受講者はその版で学びます。直したらもう一度公開します。",
            "Publishing makes a version",
            "“Publish” makes an immutable version learners use. After changes, publish again.",
            "catalog:studio",
        ),
        Step(
            "確認テストとシナリオ",
            "問題バンクから確認テストを、商談の分岐シナリオをトップ営業の解説つきで作れます。",
            "Quizzes and scenarios",
            "Build quizzes from the question bank, and branching sales scenarios with the top rep's commentary.",
            "assessments:studio_quizzes",
        ),
        Step(
            "現場の声で直す",
            "「お客様に使えなかった」が多いレッスンから直しましょう。フィードバックはここに集まります。",
            "Improve from the field",
            "Fix first the lessons reps say did not work with customers; the feedback gathers here.",
            "feedback:feedback_inbox",
        ),
    ),
    COACH: (
        Step(
            "レビューの依頼",
            "ホームに、あなたに依頼されたロープレのレビューが並びます。時間つきコメントと点数をつけてください。",
            "Reviews requested from you",
            "Home lists the roleplays waiting for your review: leave time-coded comments and scores.",
            "coaching:coach_home",
        ),
        Step(
            "コミュニティで答える",
            "担当者の質問にコーチとして答えると、回答にコーチの印が付きます。",
            "Answer in the community",
            "Your answers to reps' questions carry the coach mark.",
            "community:community",
        ),
        Step(
            "採点をそろえる",
            "キャリブレーションで、ほかのコーチとの採点のずれを確認できます。",
            "Calibrate your scores",
            "Calibration shows how your scores compare with the other coaches'.",
            "coaching:roleplay_calibration",
        ),
    ),
    ADMIN: (
        Step(
            "パートナー企業を準備する",
            "企業を追加すると、チーム・管理者・合意事項・必須コース・担当者の準備チェックリストが出ます。順に進めてください。",
            "Set up an agency",
            "Add an agency and its page shows a setup checklist: teams, manager, agreement, required courses, reps. "
            "Follow it in order.",
            "orgs:partners",
        ),
        Step(
            "合意事項",
            "企業ごとに学習の取り決めを版として作り、パートナー管理者が承認します。",
            "Agreements",
            "Write each agency's learning terms as a version; its manager accepts it.",
            "agreements:agreements",
        ),
        Step(
            "ダッシュボードで比べる",
            "パートナー企業を並べて、修了率・期限超過・学習時間を比較します。",
            "Compare agencies",
            "Agencies side by side: completion, overdue work, learning time.",
            "analytics:principal_dashboard",
        ),
        Step(
            "サポート窓口",
            "パートナー企業からの質問がここに届きます。回答すると質問者に通知され、よくある質問はヘルプページにできます。",
            "The support desk",
            "Agencies' questions arrive here. Answers notify the asker; frequent questions become help pages.",
            "support:queue",
        ),
    ),
}


def steps_for(role: str | None) -> tuple[Step, ...]:
    return STEPS.get(role or "", ())
