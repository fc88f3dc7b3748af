"""The demo's people: the principal's staff and three partner agencies with their teams and reps.

Each rep has a learning *pace* that drives their five weeks of history (see activity.py):
partner A mostly keeps up, partner B is mixed, partner C is behind.
"""

from dataclasses import dataclass

PASSWORD = "kizuna-demo"  # noqa: S105 -- the published password of the demo sign-ins, never of a real site

PRINCIPAL_NAME = "絆ソフト株式会社"
PRINCIPAL_SLUG = "principal"

# Paces, from keen to not started. "rep1" is partner A's rep1, whose history is written out by hand.
ACE, STEADY, SLOW, IDLE, SCRIPTED = "ace", "steady", "slow", "idle", "rep1"


@dataclass(frozen=True)
class StaffSpec:
    email: str
    name: str
    role: str


@dataclass(frozen=True)
class RepSpec:
    name: str
    team: str
    pace: str


@dataclass(frozen=True)
class PartnerSpec:
    slug: str
    name: str
    teams: tuple[str, ...]
    manager: str  # the manager's name; e-mail manager@<slug>.example, in the first team
    reps: tuple[RepSpec, ...]  # e-mails rep1@<slug>.example, rep2@…

    def rep_email(self, index: int) -> str:
        return f"rep{index}@{self.slug}.example"

    @property
    def manager_email(self) -> str:
        return f"manager@{self.slug}.example"


STAFF = (
    StaffSpec("admin@principal.example", "高橋 美咲", "admin"),  # パートナー推進部
    StaffSpec("author@principal.example", "佐藤 健太", "author"),  # 研修コンテンツ担当
    StaffSpec("coach@principal.example", "中村 大輔", "coach"),  # 営業部長、エース営業
)

PARTNERS = (
    PartnerSpec(
        slug="partner-a",
        name="株式会社アクセルセールス",
        teams=("東京第1チーム", "東京第2チーム", "大阪チーム"),
        manager="小林 直樹",
        reps=(
            RepSpec("山田 花子", "東京第1チーム", SCRIPTED),
            RepSpec("田村 翔太", "東京第1チーム", ACE),
            RepSpec("伊藤 さくら", "東京第1チーム", ACE),
            RepSpec("渡辺 拓也", "東京第1チーム", STEADY),
            RepSpec("加藤 美穂", "東京第2チーム", ACE),
            RepSpec("吉田 健一", "東京第2チーム", STEADY),
            RepSpec("山口 由美", "東京第2チーム", ACE),
            RepSpec("松本 大輝", "東京第2チーム", STEADY),
            RepSpec("井上 彩", "大阪チーム", ACE),
            RepSpec("木村 亮", "大阪チーム", STEADY),
            RepSpec("林 真由美", "大阪チーム", SLOW),
            RepSpec("清水 勇気", "大阪チーム", ACE),
        ),
    ),
    PartnerSpec(
        slug="partner-b",
        name="株式会社ブリッジ営業企画",
        teams=("名古屋チーム", "福岡チーム"),
        manager="中島 智子",
        reps=(
            RepSpec("斎藤 陽介", "名古屋チーム", STEADY),
            RepSpec("山崎 愛", "名古屋チーム", ACE),
            RepSpec("小川 浩二", "名古屋チーム", SLOW),
            RepSpec("池田 恵", "名古屋チーム", STEADY),
            RepSpec("橋本 和也", "名古屋チーム", IDLE),
            RepSpec("阿部 千尋", "福岡チーム", ACE),
            RepSpec("石川 翼", "福岡チーム", STEADY),
            RepSpec("前田 沙織", "福岡チーム", SLOW),
            RepSpec("藤田 誠", "福岡チーム", STEADY),
            RepSpec("岡田 結衣", "福岡チーム", ACE),
        ),
    ),
    PartnerSpec(
        slug="partner-c",
        name="コネクトワークス株式会社",
        teams=("札幌チーム", "仙台チーム"),
        manager="藤井 学",
        reps=(
            RepSpec("後藤 大介", "札幌チーム", STEADY),
            RepSpec("長谷川 舞", "札幌チーム", SLOW),
            RepSpec("村上 健", "札幌チーム", IDLE),
            RepSpec("近藤 美香", "札幌チーム", SLOW),
            RepSpec("石井 隼人", "仙台チーム", ACE),
            RepSpec("坂本 加奈", "仙台チーム", SLOW),
            RepSpec("遠藤 修", "仙台チーム", IDLE),
            RepSpec("青木 里奈", "仙台チーム", STEADY),
        ),
    ),
)

# The sign-ins printed at the end of the seed (and checked by the tests).
SIGN_INS = (
    "admin@principal.example",
    "author@principal.example",
    "coach@principal.example",
    "manager@partner-a.example",
    "rep1@partner-a.example",
    "manager@partner-b.example",
    "rep1@partner-b.example",
    "manager@partner-c.example",
)
