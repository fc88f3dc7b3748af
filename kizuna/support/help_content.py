"""The built-in help: one page per main screen of each role, and tips on using Kizuna well (活用ノウハウ).

Kept in code, in Japanese and English, so it ships with the screens it describes and is reviewed with them.
``screens`` are the URL names whose "?" opens the page; ``roles`` who sees it (a page for several roles
is written for all of them). Bodies are Markdown. Pages the operations team writes (often from a frequent
support question) live in the database (support.HelpPage) and are found by the same search.
"""

from dataclasses import dataclass

ADMIN, AUTHOR, COACH, MANAGER, REP = "admin", "author", "coach", "manager", "rep"
STAFF = (ADMIN, AUTHOR, COACH)
EVERYONE = (*STAFF, MANAGER, REP)


@dataclass(frozen=True)
class HelpEntry:
    slug: str
    kind: str  # "screen" or "tip"
    roles: tuple[str, ...]
    screens: tuple[str, ...]
    title_ja: str
    body_ja: str
    title_en: str
    body_en: str


SCREEN, TIP = "screen", "tip"

ENTRIES = (
    # --- Reps -------------------------------------------------------------------------------------------------
    HelpEntry(
        "rep-home",
        SCREEN,
        (REP,),
        ("learning:home",),
        "ホーム画面: 次にやること",
        """ホームには、今あなたがやるべきことが上から順に並びます。

- **次にやること**: 期限の近い必須コースです。「期限超過」の印があるものから始めましょう。「続ける」で前回の続きから開きます。
- **速報(朝礼トピック)**: 委託元からの新しいお知らせです。読んだら「確認しました」を押してください。確認期限があるものは、押すまで上に残ります。
- **今日の3分復習**: 以前に答えた問題のうち、忘れかけている頃のものが出ます。移動中のすき間時間にどうぞ。

必須の課題がないときは「必須の課題はありません」と表示されます。コース一覧から好きなコースを選んで学べます。""",
        "Home: what to do next",
        """Home lists what you should do now, most urgent first.

- **Do this next**: required courses with the nearest due dates. Start with anything marked "Overdue". "Continue" opens where you left off.
- **Flash updates**: new announcements from the principal. Tap "Got it" once you have read one; those with a confirm-by date stay on top until you do.
- **Today's 3-minute review**: questions you answered before, brought back just when you are about to forget them. Good for a few spare minutes between visits.

When nothing is required, Home says so; pick any course from the course library.""",
    ),
    HelpEntry(
        "rep-library",
        SCREEN,
        (REP,),
        ("learning:library", "learning:course", "learning:lesson"),
        "コース一覧とレッスン",
        """**コース一覧**には、あなたが受講できる公開中のコースが新しい順に並びます。上のタグ(お客様の声、失敗事例、創業者の想い など)や製品で絞り込めます。

コースを開くと章とレッスンの一覧が出ます。レッスンは記事・動画・マイクロラーニング・確認テスト・シナリオなど種類があり、どれもスマホで最後まで受けられます。動画は途中でやめても、次に開くと続きから再生されます。

レッスンの最後で「お客様に使えた / 使えなかった」を教えてください。作成者がコンテンツを直すときの一番の手がかりになります。""",
        "The course library and lessons",
        """The **course library** lists every published course you may take, newest first. Filter by story tag (customer voice, failure case, founder's story…) or by product.

A course shows its modules and lessons. Lessons come in several kinds — article, video, micro lesson, quiz, scenario — and each can be finished on a phone. A video you stop resumes where you left it.

At the end of a lesson, tell us whether it "worked / didn't work with customers": it is what authors look at first when they improve content.""",
    ),
    HelpEntry(
        "rep-review",
        SCREEN,
        (REP,),
        ("assessments:review",),
        "今日の3分復習のしくみ",
        """確認テストやマイクロラーニングで出会った問題は、覚えている度合いに合わせて次の復習日が決まります(FSRS という方式)。正解が続くほど間隔が伸び、間違えると早めにまた出ます。

- 1回は3分ほどで終わります。毎日少しずつが一番効きます。
- 今日の分が終わると「今日の復習は完了」と表示されます。復習日が来た問題がない日は何も出ません。
- 分野(トピック)ごとの定着度は「進捗」で確認できます。""",
        "How today's 3-minute review works",
        """Every question you meet in a quiz or micro lesson gets its next review date from how well you know it (the FSRS method). Right answers stretch the interval; a wrong one brings the question back sooner.

- One session takes about three minutes; a little every day works best.
- When today's questions are done, the page says so. On days with nothing due, there is nothing to review.
- Your retention per topic is on "Progress".""",
    ),
    HelpEntry(
        "community",
        SCREEN,
        EVERYONE,
        ("community:community", "community:community_question", "community:community_ask"),
        "コミュニティ: 質問と回答",
        """現場で困ったこと、お客様に聞かれて答えられなかったことを質問できます。ほかの担当者やコーチ(エース営業)が回答します。

- 質問を書き始めると、似た質問が下に出ます。先に見ると、すぐ答えが見つかることがあります。
- 役に立った回答には投票を。質問した人は一番役立った回答を「ベストアンサー」にできます。
- 写真も添付できます(位置情報は自動で消えます)。お客様の個人情報は書かないでください。
- ほかのパートナー企業の方の名前の見え方は、委託元の共有設定で決まります。

使い方そのものの質問は、コミュニティではなく画面下の「サポート窓口に質問」からどうぞ。""",
        "Community: questions and answers",
        """Ask about anything that puzzled you in the field, or a customer question you could not answer. Other reps and the coaches (top reps) answer.

- While you type, similar questions appear below: the answer may already be there.
- Vote for answers that helped. The asker can mark the most helpful one as the accepted answer.
- You can add a photo (its location data is removed). Never write a customer's personal details.
- How people of other agencies are named follows the principal's sharing settings.

Questions about using Kizuna itself go to "Ask the support desk" at the bottom of the page.""",
    ),
    HelpEntry(
        "rep-roleplay",
        SCREEN,
        (REP,),
        ("coaching:roleplay_home",),
        "ロープレの録画と振り返り",
        """割り当てられたロープレは、スマホのカメラで録画して提出します。撮り直しは何度でもできます。

- 通信が切れても、アップロードは続きから再開します。Wi-Fi のある場所がおすすめです。
- 提出すると、コーチ・あなたの管理者・割り当てられた仲間が、時間つきのコメントと評価基準の点数をつけます。
- 点数が合格ラインを超えると合格です。前のテイクと並べて見比べられます。

あなたの動画を見られるのは、見る権限のある人だけです。""",
        "Recording and reviewing roleplays",
        """Record an assigned roleplay with your phone's camera and submit it; retake as often as you like.

- If the connection drops, the upload resumes where it stopped. Wi-Fi is best.
- Once submitted, coaches, your manager and assigned peers leave time-coded comments and rubric scores.
- You pass when the score reaches the pass mark. Compare takes side by side.

Only people allowed to see your video can open it.""",
    ),
    HelpEntry(
        "rep-progress",
        SCREEN,
        (REP,),
        ("learning:my_progress",),
        "進捗: 自分の学び",
        """コースごとの修了状況、確認テストの得点、分野ごとの定着度、ポイントとバッジ、連続学習日数を確認できます。

必須コースの期限が近いものは上に出ます。管理者もあなたの進捗を見ていますが、同じパートナー企業以外の人には見えません。""",
        "Progress: your own learning",
        """See which courses you finished, your quiz scores, your retention per topic, points, badges and your streak.

Required courses due soon come first. Your manager sees your progress too; nobody outside your agency does.""",
    ),
    # --- Managers ---------------------------------------------------------------------------------------------
    HelpEntry(
        "manager-dashboard",
        SCREEN,
        (MANAGER,),
        ("analytics:partner_dashboard",),
        "ダッシュボード: 自社の担当者の状況",
        """担当者 × コースの表で、誰がどのコースを終えているか、期限を過ぎているかが一目で分かります。

- チームで絞り込み、担当者名を押すと、その人の得点・定着度・学習時間を詳しく見られます。
- 表は CSV でダウンロードできます(合意事項で許可されている場合)。
- 期限超過が多い人には、まず声をかけましょう。次の活用ノウハウも参考にしてください。""",
        "Dashboard: your agency's reps",
        """The reps × courses table shows who finished what and who is overdue at a glance.

- Filter by team; tap a rep's name for their scores, retention and learning time.
- Download the table as CSV (when your agreement allows exports).
- Talk first to reps with the most overdue work; see the tips for managers.""",
    ),
    HelpEntry(
        "manager-agreement",
        SCREEN,
        (MANAGER,),
        ("agreements:my_agreement", "agreements:agreement_version"),
        "合意事項の確認と承認",
        """合意事項は、委託元と御社との学習に関する取り決めです: 必須コースと期限、月間の最低学習時間、学習時間を業務時間として扱うか、評価やインセンティブとの連動、パートナー企業間で共有する内容。

新しい版が届くと通知が来ます。前の版から何が変わったかを確認し、「承認する」を押してください。承認前でも、それまでの版の条件は有効です。不明点は「サポート窓口に質問」からどうぞ。""",
        "Reviewing and accepting the agreement",
        """The agreement is what the principal and your agency agreed about learning: required courses and due dates, minimum learning minutes a month, whether learning counts as paid work time, how it links to evaluation and incentives, and what is shared across agencies.

You are notified when a new version arrives. Check what changed since the previous one and press "Accept". Until you do, the previous version's terms still apply. Questions: "Ask the support desk".""",
    ),
    HelpEntry(
        "manager-compliance",
        SCREEN,
        (ADMIN, MANAGER),
        ("agreements:compliance", "agreements:compliance_for", "agreements:learning_time"),
        "遵守状況と学習時間",
        """月ごとに、合意事項どおりに学べているかを担当者ごとに表示します: 期限を過ぎた必須コースと、月間の最低学習時間に届いているか。

- 「未達のみ」で、対応が必要な人だけに絞れます。
- 学習時間は、実際に学んでいた時間だけを数えます(開きっぱなしのタブは数えません)。
- 毎週月曜に、未達の一覧がメールで届きます。""",
        "Compliance and learning time",
        """Per month and rep: whether the agreement is met — required courses past their due date, and whether the monthly minimum of learning minutes is reached.

- "Gaps only" narrows the list to the people who need attention.
- Learning time counts only time really spent learning (an idle open tab does not count).
- Every Monday a digest of the gaps arrives by e-mail.""",
    ),
    HelpEntry(
        "people",
        SCREEN,
        (ADMIN, MANAGER),
        ("orgs:people", "orgs:person", "orgs:person_new", "orgs:people_import"),
        "メンバーの一覧と招待",
        """名前やメールアドレスで検索し、役割やチームで絞り込めます。各メンバーの招待状況(未招待・招待済み・参加済み)も分かります。

委託元の管理者は、ここからメンバーを1人ずつ追加するか、CSV で一括登録できます(テンプレートをダウンロードして、氏名・メールアドレス・パートナー・チーム・役割を記入)。招待メールのリンクから本人がパスワードを設定します。退職者は「無効にする」でログインできなくなります。""",
        "People and invitations",
        """Search by name or e-mail and filter by role or team; each person's invitation status (not invited, invited, joined) shows.

Principal admins add people here one by one or import many from a CSV (download the template; fill in name, e-mail, partner, team, role). People set their own password from the invitation e-mail's link. Deactivate someone who left so they can no longer sign in.""",
    ),
    # --- Authors and coaches ----------------------------------------------------------------------------------
    HelpEntry(
        "author-studio",
        SCREEN,
        (ADMIN, AUTHOR),
        ("catalog:studio", "catalog:studio_course"),
        "コースの作成と公開",
        """コース → 章 → レッスンの順に組み立てます。レッスンは記事・動画・マイクロラーニング・確認テスト・シナリオ・ロープレ・ライブ研修・アンケート・パッケージ(SCORM/xAPI)から選べます。

- 編集中の内容は下書きです。「公開」すると変更できない版ができ、受講者はその版で学びます。続けて直しても、次に公開するまで受講者には出ません。
- お客様の声・失敗事例などのストーリータグと、分野(トピック)タグを付けると、受講者が探しやすくなり、弱点の分析にも使われます。
- 公開したコースは「割り当て」でパートナー企業・チーム・担当者に割り当てます。""",
        "Making and publishing courses",
        """Build a course from modules and lessons. A lesson is an article, video, micro lesson, quiz, scenario, roleplay, live session, survey or package (SCORM/xAPI).

- What you edit is a draft. "Publish" makes an immutable version that learners use; later edits reach them only when you publish again.
- Story tags (customer voice, failure case…) and topic tags help reps find content and feed the weak-area analysis.
- Assign published courses to partners, teams or reps under "Assignments".""",
    ),
    HelpEntry(
        "coach-home",
        SCREEN,
        (COACH,),
        ("coaching:coach_home",),
        "コーチのホーム: レビューと現場の声",
        """あなたに依頼されたロープレのレビューと、新しく届いた現場の声が並びます。

- レビューでは、動画の気になる場面で時間つきコメントを残し、評価基準ごとに点数をつけます。
- 「キャリブレーション」で、ほかのコーチとの採点のずれを確認できます。
- コミュニティの質問にコーチとして答えると、回答にコーチの印が付きます。""",
        "Coach's home: reviews and field voice",
        """The roleplay reviews requested from you and the newest field voice.

- In a review, leave time-coded comments at the moments that matter and score each rubric criterion.
- "Calibration" shows how your scores compare with the other coaches'.
- Answers you give in the community carry the coach mark.""",
    ),
    # --- Principal admins -------------------------------------------------------------------------------------
    HelpEntry(
        "admin-dashboard",
        SCREEN,
        (ADMIN, AUTHOR, COACH),
        ("analytics:principal_dashboard",),
        "委託元ダッシュボード: パートナー企業の比較",
        """パートナー企業を並べて、必須コースの修了率、期限超過、学習時間、得点を比較します。企業名を押すと、その企業のダッシュボード(担当者 × コース)を開きます。

数字が低い企業があれば、まず遵守状況と合意事項を確認し、その企業の管理者と話しましょう。""",
        "Principal dashboard: agencies compared",
        """Agencies side by side: completion rate of required courses, overdue work, learning time and scores. Tap an agency to open its own dashboard (reps × courses).

When an agency lags, look at its compliance and agreement first, then talk with its manager.""",
    ),
    HelpEntry(
        "admin-partners",
        SCREEN,
        (ADMIN,),
        ("orgs:partners", "orgs:partner"),
        "パートナー企業の追加と準備",
        """「パートナー企業」で企業名とコード(CSV で使う英数字、例: partner-a)を入力して追加します。追加すると企業のページに**準備チェックリスト**が出ます:

1. チームを追加する
2. パートナー管理者を招待する
3. 合意事項を作成する(必須コースと期限もここで選べます)
4. 必須コースに期限を設定する
5. 営業担当者を招待する

各項目のボタンから該当の画面へ進み、終わるとこのページに戻ります。合意事項は、パートナー管理者がログインして承認すると完了です。すべて完了すると、チェックリストは消えます。""",
        "Adding and setting up an agency",
        """Under "Partners", enter the agency's name and code (letters and digits used in CSV files, e.g. partner-a). Its page then shows a **setup checklist**:

1. Add its teams
2. Invite its partner manager
3. Write the agreement (you can pick the required courses and due dates there)
4. Give every required course a due date
5. Invite the reps

Each step's button opens the page that does it and brings you back. The agreement step is done once the partner manager signs in and accepts it. When every step is done, the checklist disappears.""",
    ),
    HelpEntry(
        "admin-assignments",
        SCREEN,
        (ADMIN,),
        ("catalog:assignments",),
        "コースの割り当て",
        """公開済みのコースを、パートナー企業全体・チーム・担当者1人に割り当てます。必須にする場合は期限が必要です(その日の終わりが期限)。

合意事項に書いた必須コースは、版の発効日に自動で割り当てられます。個別に追加したいときに、ここを使います。""",
        "Assigning courses",
        """Assign a published course to a whole agency, a team or one rep. Required work needs a due date (the end of that day).

Required courses written in an agreement are assigned automatically when its version takes effect; use this page for anything extra.""",
    ),
    HelpEntry(
        "admin-agreements",
        SCREEN,
        (ADMIN,),
        ("agreements:agreements", "agreements:agreement_partner", "agreements:agreement_version_new"),
        "合意事項の作成と改訂",
        """パートナー企業ごとに、学習の取り決めを版として作ります: 必須・任意のコースと期限、月間の最低学習時間、業務時間扱いとその上限、評価との連動、共有の範囲、退職者データの保存日数。

一度保存した版は変わりません。変更は新しい版として作り、パートナー管理者が承認します。発効日が来ると、共有設定と割り当てが新しい版に合わせて切り替わります。""",
        "Writing and revising agreements",
        """Per agency, write the learning terms as a version: required and optional courses with due dates, minimum minutes a month, learning as work time and its cap, the link to evaluation, what is shared, and how long a departed rep's data is kept.

A saved version never changes: a change is a new version, which the partner manager accepts. On its effective date, sharing and assignments follow the new version.""",
    ),
    HelpEntry(
        "admin-support",
        SCREEN,
        (ADMIN,),
        ("support:queue", "support:ticket"),
        "サポート窓口の運用",
        """パートナー企業の管理者と担当者からの質問が届きます。質問したページと、添付があればスクリーンショットが付いています。

- 「未完了」で対応が必要な質問だけを、待ち時間の長い順に表示します。
- 担当を決めると状況が「対応中」になります。回答すると「回答済み」になり、質問者に通知されます。
- 上部に、最初の回答までの時間(30日間の中央値)が出ます。
- 同じ質問が何度も来たら、質問のページから「ヘルプページにする」でヘルプにまとめましょう。""",
        "Running the support desk",
        """Questions from agency managers and reps arrive here, with the page they were on and a screenshot when attached.

- "Open" shows what needs attention, longest waiting first.
- Assigning a question sets it "in progress"; answering sets it "answered" and notifies the asker.
- The top shows the median time to a first answer over 30 days.
- When the same question keeps coming, turn it into a help page from the question's page ("Make a help page").""",
    ),
    # --- Tips (活用ノウハウ) ------------------------------------------------------------------------------------
    HelpEntry(
        "tip-first-week",
        TIP,
        (ADMIN, MANAGER),
        (),
        "最初の1週間で定着させるコツ",
        """導入直後の1週間で、使われ続けるかどうかが決まります。

- 最初の必須コースは**15分以内**で終わるものを1つだけにし、期限を1週間後に設定する。
- 初日の朝礼で、スマホでログインするところまでをその場で一緒にやる。
- 3日目に、ダッシュボードでまだ始めていない人に声をかける。
- 最初に修了した人をサンクスで紹介する。""",
        "Making it stick in the first week",
        """Whether people keep using Kizuna is decided in the first week.

- Make the first required course a single one that takes **under 15 minutes**, due in a week.
- At the first morning meeting, have everyone sign in on their phone right there.
- On day three, check the dashboard and talk to those who have not started.
- Thank the first people to finish, publicly (kudos).""",
    ),
    HelpEntry(
        "tip-overdue",
        TIP,
        (MANAGER,),
        (),
        "期限超過を減らす声かけ",
        """期限超過は、叱るより「次の一歩」を具体的に示すと減ります。

- ダッシュボードで期限超過の人を開き、どのレッスンで止まっているかを見てから話す。
- 「移動中の5分で、次のマイクロラーニングを1本だけ」と小さく頼む。
- 毎週月曜の遵守状況メールを、チームの朝礼の話題にする。
- 業務時間として扱う学習時間(合意事項)があるなら、そのことを改めて伝える。""",
        "Talking people out of overdue work",
        """Overdue work shrinks faster with a concrete next step than with blame.

- Open the overdue rep on the dashboard and see which lesson they stopped at before you talk.
- Ask small: "one micro lesson on your next five minutes of travel".
- Make Monday's compliance digest a topic of the team's morning meeting.
- If the agreement counts learning as work time, remind people of it.""",
    ),
    HelpEntry(
        "tip-field-voice",
        TIP,
        (ADMIN, MANAGER),
        (),
        "現場の声をコンテンツに変える",
        """担当者が「お客様に使えなかった」と答えたレッスンや、現場の声に多い質問は、次のコンテンツの種です。

- 作成者は、フィードバックの多いレッスンから直す。直したことは担当者に通知される。
- よく出る反論は、速報(朝礼トピック)やシナリオの1場面にする。
- パートナー企業の成功事例は、その担当者の名前で紹介すると、ほかの企業の担当者にも響く。""",
        "Turning field voice into content",
        """Lessons reps say "didn't work with customers" and the most frequent field voice are the seeds of your next content.

- Authors fix the lessons with the most feedback first; reps are told what changed.
- Turn a frequent objection into a flash update or a scenario moment.
- Credit an agency's success story to the rep by name: it speaks to reps of every agency.""",
    ),
    HelpEntry(
        "tip-agreement",
        TIP,
        (ADMIN,),
        (),
        "合意事項で揉めないために",
        """学習の義務・時間・評価との関係は、始める前に文書で合意しておきます。

- 必須コースは多くしすぎない(まずは月に2〜3本)。
- 学習時間を業務時間として扱うか、上限は何分かを明記する。
- 修了や得点を評価・インセンティブにどう反映するかを、具体的な1文で書く。
- 変更は新しい版として出し、何が変わったかを管理者が確認して承認できるようにする。""",
        "Agreements without friction",
        """Agree in writing, before starting, on the learning duty, time and its link to evaluation.

- Do not require too much (start with two or three courses a month).
- State whether learning counts as work time, and its monthly cap.
- Say in one concrete sentence how completion and scores affect evaluation or incentives.
- Issue changes as a new version, so that the manager sees what changed and accepts it.""",
    ),
    HelpEntry(
        "tip-data",
        TIP,
        (ADMIN, MANAGER),
        (),
        "データで個別に指導する",
        """「誰が、どのテストで、どの分野につまずいているか」が分かれば、指導は短く具体的になります。

- 確認テストの分析で、多くの人が間違える問題を探す(問題の書き方が悪いこともある)。
- 分野ごとの定着度が低い担当者に、その分野のマイクロラーニングを割り当てる。
- KPI ボードで、学習と成果(アポイント獲得率・成約率)の動きを並べて見る。""",
        "Coaching each rep with data",
        """Knowing who struggles with which quiz and topic makes coaching short and concrete.

- In quiz analysis, look for questions most people miss (sometimes the question is the problem).
- Assign a micro lesson on the topic to reps whose retention in it is low.
- On the KPI board, put learning side by side with results (appointment and close rates).""",
    ),
)
