"""A fixed set of 30 short Japanese sales texts, written for measuring the plain-words assistant.

Fifteen are plain (what a rep understands at once), fifteen are full of the principal's jargon. Each is
labelled by hand with the words a rep at an agency would not understand as written: these are what the
jargon finder should flag (insider terms from the glossary used without their explanation, unknown
abbreviations and loan words). A term explained where it is used, and everyday loan words, are not labelled.
"""

from kizuna.plain.analysis import GlossaryEntry

# The principal's glossary for the measurement: insider jargon with plain explanations, and one plain term.
GLOSSARY = [
    GlossaryEntry("ROI", "かけたお金に対して、どれだけもうけが出たかの割合", "費用対効果", True),
    GlossaryEntry("KPI", "目標に近づいているかを見るための数字", "目標の数字", True),
    GlossaryEntry("リードナーチャリング", "見込みのお客様と連絡を続けて、買いたい気持ちを育てること", "", True),
    GlossaryEntry("アップセル", "今より上のプランをすすめること", "上のプランの提案", True),
    GlossaryEntry("クロスセル", "関係するほかの商品もいっしょにすすめること", "セット提案", True),
    GlossaryEntry("チャーン", "お客様が契約をやめること", "解約", True),
    GlossaryEntry("オンボーディング", "契約したお客様が使い始められるように手伝うこと", "使い始めのサポート", True),
    GlossaryEntry("稟議", "会社の中で、お金を使ってよいかを上の人に順番に認めてもらう手続き", "社内の承認", True),
    GlossaryEntry("与信", "お客様が代金を払えるかを、契約の前に確かめること", "支払い能力の確認", True),
    GlossaryEntry("商流", "商品とお金が、どの会社を通ってお客様に届くかの流れ", "取引の流れ", True),
    GlossaryEntry("ヨミ", "今月に契約になりそうな案件の見込み", "見込み", True),
    GlossaryEntry("刈り取り", "話が進んだお客様に、契約を決めてもらうこと", "契約の締結", True),
    GlossaryEntry("LTV", "一人のお客様が、取引の間に払ってくれるお金の合計", "生涯の売上", True),
    GlossaryEntry("MRR", "毎月決まって入ってくる売上", "毎月の売上", True),
    GlossaryEntry("月額プラン", "毎月決まった金額を払うプラン", "", False),
]

PLAIN = "plain"
JARGON = "jargon"

TEXTS: list[tuple[str, str, set[str]]] = [
    # --- plain texts (15) ---
    (
        PLAIN,
        "お客様に電話をかける前に、前回の話を読み返しましょう。相手の名前と困りごとを確かめてから話すと、安心してもらえます。",
        set(),
    ),
    (PLAIN, "料金は月額プランです。毎月の支払いは同じ金額で、途中でやめることもできます。", set()),
    (
        PLAIN,
        "パンフレットをメールで送ったら、三日後にもう一度電話をしましょう。読んでもらえたかを聞くだけで十分です。",
        set(),
    ),
    (PLAIN, "お客様が「高いね」と言ったら、まず理由を聞きます。値段の話はそのあとです。", set()),
    (PLAIN, "初めて会うお客様には、自分の名前と会社の名前をはっきり伝えます。笑顔であいさつをしましょう。", set()),
    (PLAIN, "ROI（かけたお金に対するもうけの割合）を説明するときは、お客様の数字で話すと伝わります。", set()),
    (PLAIN, "スマホでも申し込みができます。お客様の画面を一緒に見ながら、ボタンの場所を教えてあげましょう。", set()),
    (
        PLAIN,
        "契約のあとも、ひと月に一度は様子を聞きましょう。困っていることがあれば、すぐにサポートにつなぎます。",
        set(),
    ),
    (PLAIN, "お客様の話は最後まで聞きます。途中で話をさえぎらないことが大切です。", set()),
    (PLAIN, "見積もりは二つ用意します。安いものと、少し高くて便利なものです。お客様が選びやすくなります。", set()),
    (PLAIN, "断られても大丈夫です。理由を聞いて、次の話に生かしましょう。", set()),
    (
        PLAIN,
        "今月の目標は、新しいお客様十件です。毎日の電話の数を記録しておくと、どこまで進んだかがわかります。",
        set(),
    ),
    (PLAIN, "チーム全員で、うまくいった話を共有しましょう。ほかの人のやり方から学べることがたくさんあります。", set()),
    (PLAIN, "アップセルとは、今より上のプランをすすめることです。お客様に合うときだけすすめましょう。", set()),
    (PLAIN, "デモの日は、お客様の会社の人数に合わせて資料を印刷しておきます。", set()),
    # --- jargon-heavy texts (15) ---
    (
        JARGON,
        "今期はKPIの達成に向けて、リードナーチャリングを強化し、ヨミの精度を上げていきます。",
        {"KPI", "リードナーチャリング", "ヨミ"},
    ),
    (
        JARGON,
        "既存顧客へのアップセルとクロスセルでLTVを最大化し、チャーンを抑えることが最優先です。",
        {"アップセル", "クロスセル", "LTV", "チャーン"},
    ),
    (JARGON, "稟議が通る前に与信を済ませておかないと、月末の刈り取りに間に合いません。", {"稟議", "与信", "刈り取り"}),
    (
        JARGON,
        "CACを下げるため、インサイドセールスがMQLをSQLに引き上げてからフィールドに渡します。",
        {"CAC", "インサイドセールス", "MQL", "SQL"},
    ),
    (
        JARGON,
        "オンボーディングの完了率がMRRの伸びに直結するので、CSと連携してください。",
        {"オンボーディング", "MRR", "CS"},
    ),
    (
        JARGON,
        "商流を確認し、一次代理店経由の案件はSFAに登録してからパイプラインに載せること。",
        {"商流", "SFA", "パイプライン"},
    ),
    (
        JARGON,
        "ROIを定量的に示し、決裁者のペインにソリューションとしてのバリューをぶつけましょう。",
        {"ROI", "ペイン", "ソリューション", "バリュー"},
    ),
    (
        JARGON,
        "ヨミ表のAランク案件は今週中に刈り取り、Bランクはナーチャリング施策に回します。",
        {"ヨミ", "刈り取り", "ナーチャリング"},
    ),
    (
        JARGON,
        "ARPUの低いセグメントにはセルフサーブ型のプランを提案し、チャーン率をモニタリングします。",
        {"ARPU", "セグメント", "セルフサーブ", "チャーン", "モニタリング"},
    ),
    (JARGON, "与信NGの場合は商流を変えて再提案し、稟議の差し戻しを防ぎます。", {"与信", "商流", "稟議"}),
    (
        JARGON,
        "KPIツリーを分解し、リードタイム短縮のボトルネックを特定してください。",
        {"KPI", "リードタイム", "ボトルネック"},
    ),
    (
        JARGON,
        "エンタープライズ向けには、PoCでROIを証明してからアップセルを狙うのが定石です。",
        {"エンタープライズ", "PoC", "ROI", "アップセル"},
    ),
    (
        JARGON,
        "MRRとLTVの両方を見ながら、オンボーディングの工数をリソース配分します。",
        {"MRR", "LTV", "オンボーディング", "リソース"},
    ),
    (
        JARGON,
        "クロスセル施策のコンバージョンが悪いので、ターゲティングを見直してください。",
        {"クロスセル", "コンバージョン", "ターゲティング"},
    ),
    (
        JARGON,
        "BANTで案件をクオリファイし、ヨミに入れる前に稟議の流れを確認すること。",
        {"BANT", "クオリファイ", "ヨミ", "稟議"},
    ),
]
