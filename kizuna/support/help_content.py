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
    # --- Every other screen of the menu (each "?" opens a page of its own) -------------------------------------
    HelpEntry(
        "updates",
        SCREEN,
        EVERYONE,
        ("updates:updates", "updates:update", "updates:update_new", "updates:update_edit"),
        "速報(朝礼トピック)",
        """委託元からの短いお知らせです。担当者には、まだ確認していないものが上に並びます。

- 読んだら「確認しました」を押してください。確認期限があるものは、押すまで「未確認」として残り、期限を過ぎると「期限超過」になります。
- 委託元のスタッフは「新しい速報」で作り、下書きのまま保存してから公開できます。公開した速報には、既読と確認の割合が表示されます。""",
        "Flash updates",
        """Short announcements from the principal. Reps see the ones they have not confirmed yet at the top.

- Tap "Got it" once you have read one. Those with a confirm-by date stay "Not confirmed" until you do, and become "Overdue" after the date.
- The principal's staff write one with "New update", can keep it as a draft, and see the read and confirmation rates once it is published.""",
    ),
    HelpEntry(
        "live-sessions",
        SCREEN,
        EVERYONE,
        ("live:live_sessions", "live:live_session", "live:live_session_new", "live:live_session_edit"),
        "ライブ研修",
        """オンラインまたは会場での研修の予定です。「今後の予定」と「過去の研修」に分かれて並びます。

- 担当者は研修を開いて参加の登録をし、カレンダーに追加できます。当日は、研修で案内されるコードを研修のページに入力して出席を記録します。
- 委託元のスタッフとパートナー管理者は「ライブ研修を予定する」で日時・対象・説明を決めます。説明文にも、社内用語の書き換え案が表示されます。""",
        "Live sessions",
        """Online or on-site training sessions, split into "Upcoming" and "Past sessions".

- Reps open a session to register, add it to their calendar, and on the day enter the code the host gives on its page to record their attendance.
- The principal's staff and agency managers schedule one with "Schedule a live session" (time, audience, description); the description gets the same plain-words hints as every editor.""",
    ),
    HelpEntry(
        "surveys",
        SCREEN,
        EVERYONE,
        ("surveys:surveys", "surveys:survey_answer"),
        "アンケート",
        """担当者には、答えるアンケートが「未回答」「回答済み」で並びます。数分で終わるものがほとんどです。

パートナー管理者は自社の回答状況と結果を、委託元のスタッフはすべてのパートナー企業の結果を見られます。""",
        "Surveys",
        """Reps see the surveys they have to answer, marked "Not answered yet" or "Answered"; most take a few minutes.

Agency managers see their agency's answers and results; the principal's staff see every agency's.""",
    ),
    HelpEntry(
        "rankings-badges",
        SCREEN,
        EVERYONE,
        ("gamification:rankings", "gamification:badges"),
        "ランキング、バッジとポイント",
        """学習、復習、ロープレ、コミュニティでの回答などでポイントがたまります。「ポイントのため方」に、行動ごとの点数と1日の上限があります。

- **ランキング**: 今週・今月・累計で、チーム内、自社内、パートナー企業をまたいだ順位が見られます。他社の人の名前の出し方は共有設定に従います。
- **バッジ**: 自分のレベル、連続学習日数、獲得したバッジ、もらった称賛と最近のポイントです。バッジは共有用のリンクで見せられます。""",
        "Rankings, badges and points",
        """Learning, review, roleplays, community answers and more earn points; "How points are earned" lists each action's points and daily cap.

- **Rankings**: this week, this month or all time, within the team, the agency or across agencies. How other agencies' people are named follows the sharing setting.
- **Badges**: your level, streak, badges, kudos and recent points. A badge can be shown to others through its share link.""",
    ),
    HelpEntry(
        "certifications",
        SCREEN,
        EVERYONE,
        ("certification:certifications", "certification:certification_detail"),
        "認定",
        """認定は、決められたコース・確認テスト・ロープレをすべて満たすと与えられ、その製品を扱う資格になります。

- 担当者には自分の認定と、あと何が足りないかが表示されます。期限が近づいたら、確認テストとロープレを受け直して更新します。
- パートナー管理者は自社の担当者の認定状況を、委託元の管理者は認定の定義(要件、有効期間)を管理します。製品が変更されたとき、認定を再審査にできます。""",
        "Certifications",
        """A certification is granted once its required courses, quizzes and roleplays are all done, and qualifies a rep to sell that product.

- Reps see their certifications and what is still missing. When one expires soon, retake its quizzes and roleplays to renew it.
- Agency managers see their reps' certifications; the principal's admin defines them (requirements, validity). When a product changes, its certifications can be reopened.""",
    ),
    HelpEntry(
        "incentives",
        SCREEN,
        (ADMIN, COACH, MANAGER, REP),
        ("incentives:incentives", "incentives:incentive_rules", "incentives:incentive_statement"),
        "インセンティブ",
        """学習の成果に応じたインセンティブです。ルールはパートナー企業ごとの合意事項に従います。

- 担当者は、今月獲得した額と「獲得のしかた」を見られます。支払いは所属するパートナー企業が行います。
- パートナー管理者は自社の月次明細を確認し、CSV・Excelで取り出せます。委託元はすべてのパートナー企業の月次とルールを管理します。""",
        "Incentives",
        """Incentives earned by learning, under the rules of each agency's agreement.

- Reps see what they earned this month and "How to earn"; their agency pays the amounts.
- Agency managers check their agency's monthly statement and download it as CSV or Excel; the principal manages every agency's month and the rules.""",
    ),
    HelpEntry(
        "rep-field-voice",
        SCREEN,
        (REP,),
        ("feedback:field_voice", "feedback:field_voice_new", "feedback:field_voice_detail"),
        "現場の声",
        """お客様に聞かれたこと、断られた理由、競合の提案などを1分で送れます。コーチが回答し、みんなのための教材にします。

「現場の声を記録」から送ると、「送ったもの」に回答とともに残ります。""",
        "Field voice",
        """In a minute, tell the coaches what a customer asked or objected to, or what a competitor offers. They answer and turn it into content for everyone.

Send one with "Record field voice"; it stays under "What you sent", with its answer.""",
    ),
    HelpEntry(
        "success-stories",
        SCREEN,
        EVERYONE,
        ("stories:stories", "stories:story", "stories:nominate", "stories:consent", "stories:interview"),
        "成功事例",
        """担当者の成功を、本人の言葉でレッスンにして、みんなで学びます。

1. パートナー管理者・コーチ・管理者が「成功事例を推薦」します(KPI、注目人材、現場の声からも推薦できます)。
2. 担当者に同意のお願いが届きます。名前の出し方を選び、4つの質問(どんな状況だったか、何を試したか、何が効いたか、同僚に伝えたいこと)に文章・音声・動画で答えます。スマートフォンのカメラやマイクでその場で録れます。
3. 作成者が「レッスンにする」で下書きを作り、公開すると、担当者の名前が(共有設定の範囲で)紹介され、本人と管理者に通知が届き、ポイントとバッジが贈られます。""",
        "Success stories",
        """A rep's success, told in their own words, becomes a lesson for everyone.

1. A manager, coach or admin nominates a success ("Nominate a success"; also from the KPI board, rising talent or a field-voice entry).
2. The rep is asked for consent, chooses how they are named, and answers four questions (the situation, what they tried, what worked, what they would tell a colleague) in writing, by voice or on video, recorded with the phone's camera or microphone.
3. An author makes a lesson draft from it in one step. Publishing credits the rep (as sharing allows), notifies them and their manager, and awards points and a badge.""",
    ),
    HelpEntry(
        "author-freshness",
        SCREEN,
        (ADMIN, AUTHOR),
        ("freshness:studio", "freshness:freshness_edit", "freshness:product_changed"),
        "鮮度: 古くなった教材を先に直す",
        """レッスン、確認テスト、シナリオ、速報に「見直し期限」と関係する製品を付けられます。この画面は、見直しが必要なものから並べます: 製品が変更されたもの、期限切れ、14日以内に期限、期限なし、最新の順です。

- 内容を確かめたら「最新であることを確認」を押します。担当者のレッスン画面に最終確認日が出ます。
- 製品が変わったら、下の「製品が変更された?」で変更済みにします。その製品に結びついた教材がすべて見直し対象になり、作成者に通知されます。
- 各レッスンの修了率、平均点、「お客様に通じなかった」の声、「わからなかった言葉」の数も並ぶので、どこから直すべきかがわかります。
- 見直し期限の近いものは、毎週月曜に作成者へまとめて届きます。""",
        "Freshness: fix what went stale first",
        """Lessons, quizzes, scenarios and flash updates can carry a "review by" date and the products they depend on. This screen lists what needs a look first: product changed, overdue, due within 14 days, no date, then current.

- Once you have checked a piece, confirm it current; reps see that date on the lesson.
- When a product changes, mark it changed under "A product changed?": everything linked to it is flagged for review and its authors are notified.
- Each lesson shows completion, average score, "didn't work with customers" feedback and the words reps did not understand, so you see what to fix first.
- Authors get a digest of what is due every Monday.""",
    ),
    HelpEntry(
        "author-glossary",
        SCREEN,
        STAFF,
        (
            "plain:glossary",
            "plain:term_new",
            "plain:term_edit",
            "plain:glossary_import",
            "plain:word_inbox",
            "plain:target",
        ),
        "用語集とわかりやすい言葉",
        """委託元の社内用語を、「中学生にもわかる」説明と例文で登録します。

- **社内用語**の印を付けた言葉に説明がないと、それを使った教材は公開できません。「説明のない社内用語だけ」で一覧にし、説明を書いてください。
- 教材の編集画面では、入力を止めると、説明なしの社内用語、知らない略語・カタカナ語、長い文が、その場所と書き換え案とともに表示され、読みやすさの水準が目標(管理者が設定)と並んで出ます。
- CSVで一括登録・書き出しができます(UTF-8またはShift_JIS)。
- 「担当者がわからなかった言葉」に、レッスンで質問された言葉が多い順に並びます。説明を書くと、質問した担当者に通知されます。""",
        "The glossary and plain words",
        """Enter the principal's insider terms with an explanation "a bright 14-year-old understands" and an example.

- Content using a term marked **insider jargon** that has no explanation cannot be published. "Only the insider terms without a plain explanation" lists them: write their explanations.
- In every editor, once you stop typing, unexplained insider terms, unknown abbreviations and loan words, and long sentences are shown at their place with a plainer wording, with the reading level next to the target the admin set.
- Import and export the glossary as CSV (UTF-8 or Shift_JIS).
- "Words reps did not understand" lists the words reps asked about in lessons, most asked first. Explaining a word notifies the reps who asked.""",
    ),
    HelpEntry(
        "author-quizzes",
        SCREEN,
        (ADMIN, AUTHOR),
        ("assessments:studio_quizzes", "assessments:studio_quiz"),
        "確認テストの作成",
        """「新しい確認テスト」で作り、問題、選択肢、解説を書きます。受験回数、制限時間、出題順の入れ替えも設定できます。

マイクロレッスン(短い動画と1〜3問の確認問題)用の問題もここで作り、コースの編集画面で「マイクロレッスン」を追加して動画とこの問題を選びます。問題文と解説にも、わかりやすい言葉の提案が表示されます。""",
        "Making quizzes",
        """Start one with "New quiz" and write its questions, options and explanations; set attempts, a time limit and shuffling.

Check questions for a micro lesson (a short video and 1–3 questions) are made here too; then add a "micro lesson" in the course studio and choose the video and this quiz. Questions and explanations get the plain-words hints as well.""",
    ),
    HelpEntry(
        "author-scenarios",
        SCREEN,
        STAFF,
        ("scenarios:studio_scenarios", "scenarios:studio_scenario"),
        "シナリオの作成",
        """担当者が会話の中で何を言うかを選び、コーチがトップ営業の考え方を解説する教材です。

「新しいシナリオ」で作るか、ファイルを読み込みます。場面ごとにせりふ、選択肢、解説を書き、公開します。説明のない社内用語があると公開できず、一覧にその数が出ます。""",
        "Making scenarios",
        """Conversations in which reps choose what to say and the coach explains how a top rep thinks.

Create one with "New scenario" or import a file; write each moment's lines, choices and commentary, then publish. An unexplained insider term blocks publishing, and the list shows how many there are.""",
    ),
    HelpEntry(
        "author-surveys",
        SCREEN,
        (ADMIN, AUTHOR),
        ("surveys:studio_surveys", "surveys:studio_survey"),
        "アンケートの作成",
        """「新しいアンケート」で作り、質問を追加して並べ替えます。公開してから、対象のパートナー企業やチームに送ります。公開後の変更は「未公開の変更」として残り、もう一度公開すると反映されます。""",
        "Making surveys",
        """Create one with "New survey", add and order its questions, publish it, then send it to agencies or teams. Changes after publishing show as "Unpublished changes" until you publish again.""",
    ),
    HelpEntry(
        "staff-videos",
        SCREEN,
        STAFF,
        ("media:videos", "media:video_detail"),
        "動画",
        """研修動画をアップロードします。通信が途切れても続きから送れます。送ったあとはスマートフォン向けに変換され、準備ができるとレッスンやマイクロレッスンで使えます。""",
        "Videos",
        """Upload training videos; an interrupted upload resumes where it stopped. Each video is converted for phones and can be used in lessons and micro lessons once it is ready.""",
    ),
    HelpEntry(
        "feedback-inbox",
        SCREEN,
        (*STAFF, MANAGER),
        ("feedback:feedback_inbox", "feedback:field_voice_inbox"),
        "フィードバック受信箱",
        """担当者の声が届きます。

- **レッスンのフィードバック**: 「お客様に通じた」「通じなかった」とコメントです。対応したら処理済みにします。
- **現場の声**: お客様の質問や反論、競合の情報です。回答すると担当者に届き、教材や成功事例のもとになります。""",
        "Feedback inbox",
        """What reps tell you.

- **Lesson feedback**: "It worked" or "It didn't work" with customers, with comments. Mark each handled once you have acted on it.
- **Field voice**: customers' questions and objections, competitors' offers. Your answer reaches the rep, and an entry can become content or a success story.""",
    ),
    HelpEntry(
        "staff-roleplays",
        SCREEN,
        (*STAFF, MANAGER),
        ("coaching:roleplay_home", "coaching:roleplay_calibration"),
        "ロープレと評価のすり合わせ",
        """ロープレの課題を作って割り当て、担当者が録画した回答を評価基準に沿って採点します。

**評価のすり合わせ**: コーチが基準となる録画を採点し、ほかの採点者の点数と比べます。コーチとの一致度が低い採点者の点数は、担当者の結果で重みが小さくなります。""",
        "Roleplays and calibration",
        """Make roleplay tasks, assign them, and score the reps' recorded takes against the criteria.

**Calibration**: coaches score reference takes and everyone else's scores are compared with theirs; scores of reviewers far from the coaches count less in a rep's result.""",
    ),
    HelpEntry(
        "quiz-results",
        SCREEN,
        (ADMIN, COACH, MANAGER),
        ("assessments:quiz_results", "assessments:quiz_analysis_list", "assessments:grading_list"),
        "確認テストの結果、分析、採点",
        """- **結果**: 担当者ごとの受験回数、合格、平均点、記憶の定着度、復習予定と、正答率の低い分野です。
- **分析**: 問題ごとの難しさ、知っている人と知らない人を見分けられているか、どの誤答が選ばれているかです。
- **採点待ちの記述問題**: 記述の答えを採点します。すべて採点すると担当者の点数が確定します。""",
        "Quiz results, analysis and grading",
        """- **Results**: per rep, attempts, passes, mean score, retention and reviews due, and the weakest topics.
- **Analysis**: how hard each question is, whether it separates reps who know from those who do not, and which wrong options draw answers.
- **Essays to grade**: grade essay answers; the rep's score is final once every essay is graded.""",
    ),
    HelpEntry(
        "scenario-results",
        SCREEN,
        STAFF + (MANAGER,),
        ("scenarios:partner_scenarios", "scenarios:principal_scenarios"),
        "シナリオの分析",
        """公開中のシナリオごとに、最新版での担当者の結果(プレイ数、トップ営業の選択との一致度、つまずいた場面)を見られます。パートナー管理者は自社の担当者の分、委託元はすべてのパートナー企業の分です。""",
        "Scenario analysis",
        """For each published scenario, the reps' results on its latest version (plays, agreement with the top rep's choices, the moments where they stumble): an agency manager sees their own reps, the principal every agency.""",
    ),
    HelpEntry(
        "kpis",
        SCREEN,
        (ADMIN, COACH, MANAGER),
        ("kpis:kpi_board", "kpis:rising_talent"),
        "KPIと注目人材",
        """- **KPI**: 月ごとの修了率、確認テストの点数、アポ率、成約率を、目標とともにパートナー企業・チーム別に並べます。委託元は目標を設定できます。
- **注目人材**: 確認テスト、シナリオ、ロープレ、コミュニティ、連続学習、最近の売上の伸びで目立つ担当者です。「成功事例として推薦」から推薦できます。""",
        "KPIs and rising talent",
        """- **KPIs**: completion, quiz score, appointment rate and close rate by month, per agency and team, against targets the principal sets.
- **Rising talent**: reps who stand out in quizzes, scenarios, roleplays, the community, their streak and recent sales. "Nominate as a success story" starts a success story.""",
    ),
    HelpEntry(
        "admin-gamification",
        SCREEN,
        (ADMIN,),
        ("gamification:gamification_admin",),
        "ポイントとバッジの設定",
        """行動ごとのポイントと1日の上限、レベル、バッジを設定します。変えたあと「再計算」で、過去の学習をすべて新しいルールで数え直せます(取り消したバッジは戻りません)。""",
        "Points and badges",
        """Set the points per action and their daily caps, the levels and the badges. After a change, re-score every rep's past learning under the new rules (revoked badges stay revoked).""",
    ),
    HelpEntry(
        "admin-settings",
        SCREEN,
        (ADMIN,),
        (
            "orgs:sharing_settings",
            "orgs:security_settings",
            "sso:providers",
            "scim:tokens",
            "tokens:api_tokens",
            "certification:webhooks",
            "lrs:forwarding",
        ),
        "共有、サインイン、外部システムとの連携",
        """- **パートナー企業間の共有**: 他社の人の名前をどう表示するか。各社が何に参加するかは合意事項で決まります。
- **サインインのセキュリティ**: 2段階認証(認証アプリ、セキュリティキー、パスキー)を必須にする役割を選びます。
- **シングルサインオン**: 組織ごとに OpenID Connect または SAML のIDプロバイダーを登録します。
- **プロビジョニング (SCIM)**、**APIトークン**: トークンは作成時に一度だけ表示されます。
- **Webhook**、**外部 LRS への転送**: 認定の付与・失効の通知と、学習記録の写しを外部に送ります。届かなかった分は後で送り直されます。""",
        "Sharing, sign-in and other systems",
        """- **Sharing across agencies**: how people of other agencies are named; what each agency takes part in is set in its agreement.
- **Sign-in security**: the roles that must use a second factor (authenticator app, security key, passkey).
- **Single sign-on**: each organization's OpenID Connect or SAML identity provider.
- **Provisioning (SCIM)** and **API tokens**: a token is shown once, when it is made.
- **Webhooks** and **forwarding to an external LRS**: certification events and a copy of the learning records sent out; what could not be delivered is sent again later.""",
    ),
    HelpEntry(
        "audit-and-erasure",
        SCREEN,
        (*STAFF, MANAGER),
        ("audit:trail", "privacy:privacy_erasure"),
        "監査ログと退職者のデータ消去",
        """- **監査ログ**: 委託元のスタッフとパートナー管理者が行った変更が新しい順に並びます。記録は変更も削除もできません。名前、対象、日付で探し、CSVで取り出せます。パートナー管理者には自社の分だけが見えます。
- **退職者のデータ消去**(管理者): 本人の求めに応じて、無効にした人のデータを消去します。消去はすべて記録されます。""",
        "The audit trail and erasure",
        """- **Audit trail**: every change made by the principal's staff and agency managers, newest first; entries are never changed or deleted. Search by name, object or dates and download CSV. Managers see their own agency's.
- **Erasure of departed people** (admins): on request, erase a deactivated person's data; every erasure is logged.""",
    ),
    HelpEntry(
        "me",
        SCREEN,
        EVERYONE,
        (
            "notifications:notifications",
            "support:tickets",
            "accounts:profile",
            "privacy:my_data",
            "privacy:privacy_notice",
        ),
        "お知らせ、質問、プロフィール、自分のデータ",
        """- **お知らせ**: 期限、速報、回答などの通知です。メールやこのスマートフォンへの通知も選べます。
- **サポート窓口への質問**: 送った質問と回答です。どの画面からでも、下の「サポート窓口に質問」で質問できます。
- **プロフィール**: パスワードの変更、2段階認証、すべての端末からのサインアウト。所属や役割の変更は管理者に頼んでください。
- **自分のデータ**: Kizuna が持つあなたのデータを、ZIP でまとめてダウンロードできます。取り扱いは「個人情報の取り扱い」にあります。""",
        "Notifications, questions, profile and your data",
        """- **Notifications**: due dates, flash updates, answers and more; also by e-mail or on this phone if you choose.
- **My questions to support**: what you asked and the answers. Ask from any screen with "Ask the support desk" at the bottom.
- **Profile**: change your password, set up a second factor, sign out everywhere. Ask your administrator to change your organization or role.
- **My data**: download everything Kizuna holds about you as one zip; "Privacy" says how it is used.""",
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
