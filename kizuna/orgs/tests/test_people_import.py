"""The CSV import: everyone in a good file is added; a file with any bad row is refused whole."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from kizuna.orgs import services
from kizuna.orgs.models import Membership, Team

User = get_user_model()


def upload(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", text.encode(encoding), content_type="text/csv")


def import_csv(cast, text: str, encoding: str = "utf-8", send_invitations: bool = False):
    return services.people_import_csv(
        file=io.BytesIO(text.encode(encoding)), invited_by=cast.admin, send_invitations=send_invitations
    )


GOOD = (
    "name,email,partner,team,role\n"
    "山田 太郎,taro@partner-a.example,partner-a,東京第1チーム,rep\n"
    "佐藤 花子,hanako@partner-a.example,パートナーA株式会社,横浜チーム,manager\n"
    "鈴木 次郎,jiro@partner-b.example,partner-b,,rep\n"
)


def test_admin_imports_a_good_file_and_new_teams_are_created(cast, signed_in):
    client = signed_in(cast.admin)
    response = client.post("/people/import/", {"file": upload(GOOD), "send_invitations": "on"}, follow=True)
    page = response.content.decode()
    assert "3名を追加しました。" in page
    assert "1件のチームを新しく作成しました。" in page

    taro = User.objects.get(email="taro@partner-a.example")
    assert taro.membership.team == cast.team_a1 and taro.membership.role == "rep"
    hanako = User.objects.get(email="hanako@partner-a.example")
    assert hanako.membership.role == "manager"
    assert hanako.membership.team == Team.objects.get(organization=cast.partner_a, name="横浜チーム")
    jiro = User.objects.get(email="jiro@partner-b.example")
    assert jiro.membership.organization == cast.partner_b and jiro.membership.team is None
    assert sorted(m.to[0] for m in mail.outbox) == [
        "hanako@partner-a.example",
        "jiro@partner-b.example",
        "taro@partner-a.example",
    ]


def test_a_file_with_several_bad_rows_is_refused_whole_listing_each_line(cast, signed_in):
    text = (
        "name,email,partner,team,role\n"
        "山田 太郎,taro@partner-a.example,partner-a,新チーム,rep\n"  # good, but must not be created
        ",nobody@partner-a.example,partner-a,,rep\n"  # line 3: no name
        "田中 一,not-an-email,partner-a,,rep\n"  # line 4: bad e-mail
        "管理 二重,MANAGER@partner-a.example,partner-a,,manager\n"  # line 5: already registered
        "小林 三,kobayashi@partner-a.example,partner-z,,rep\n"  # line 6: unknown partner
        "加藤 四,kato@partner-a.example,partner-a,,boss\n"  # line 7: unknown role
        "山田 太郎2,Taro@partner-a.example,partner-a,,rep\n"  # line 8: same e-mail as line 2
    )
    users_before, teams_before = User.objects.count(), Team.objects.count()
    response = signed_in(cast.admin).post("/people/import/", {"file": upload(text)})
    page = response.content.decode()

    assert response.status_code == 200
    assert "何も取り込んでいません" in page
    for line, reason in [
        (3, "氏名がありません。"),
        (4, "「not-an-email」は正しいメールアドレスではありません。"),
        (5, "manager@partner-a.example は既に登録されています。"),
        (6, "「partner-z」というパートナー企業はありません。"),
        (7, "「boss」という役割はありません。"),
        (8, "taro@partner-a.example は2行目にもあります。"),
    ]:
        assert f'<td class="num">{line}</td><td>{reason}' in page, (line, reason)
    assert User.objects.count() == users_before
    assert Team.objects.count() == teams_before
    assert mail.outbox == []


def test_the_result_names_every_problem_with_its_line(cast):
    result = import_csv(cast, "name,email,partner,team,role\n,,,,\n,a@example.com,,,\n")
    assert not result.ok
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "氏名がありません。"),
        (3, "パートナー企業がありません。"),
        (3, "役割がありません。"),
    ]


def test_duplicate_emails_inside_the_file_point_at_the_first_line(cast):
    result = import_csv(
        cast,
        "name,email,partner,team,role\n"
        "一,same@example.com,partner-a,,rep\n"
        "二,other@example.com,partner-a,,rep\n"
        "三,SAME@example.com,partner-b,,rep\n"
        "四,same@example.com,partner-b,,rep\n",
    )
    assert [(p.line, p.message) for p in result.problems] == [
        (4, "same@example.com は2行目にもあります。一人ずつ別のメールアドレスが必要です。"),
        (5, "same@example.com は2行目にもあります。一人ずつ別のメールアドレスが必要です。"),
    ]
    assert not User.objects.filter(email__in=["same@example.com", "other@example.com"]).exists()


def test_a_shift_jis_file_with_japanese_headers_and_roles_is_accepted(cast):
    text = (
        "氏名,メールアドレス,パートナー,チーム,役割\r\n"
        "高橋 美咲,misaki@partner-a.example,パートナーA株式会社,大阪チーム,営業担当者\r\n"
        "伊藤 健,ken@partner-b.example,partner-b,名古屋チーム,パートナー管理者\r\n"
    )
    result = import_csv(cast, text, encoding="cp932")
    assert result.ok, result.problems
    assert result.created_count == 2
    misaki = User.objects.get(email="misaki@partner-a.example")
    assert misaki.name == "高橋 美咲"
    assert misaki.membership.team == cast.team_a2 and misaki.membership.role == "rep"
    assert User.objects.get(email="ken@partner-b.example").membership.role == "manager"


def test_full_width_email_addresses_and_roles_are_made_half_width(cast):
    result = import_csv(cast, "name,email,partner,role\n全角 太郎,ｚｅｎｋａｋｕ＠Example.com,partner-a,ｒｅｐ\n")
    assert result.ok, result.problems
    assert result.created[0].email == "zenkaku@example.com"


def test_a_utf8_file_with_a_bom_and_blank_rows_is_accepted(cast):
    result = import_csv(cast, "\ufeffname,email,partner,role\n\n一,one@example.com,partner-a,rep\n,,,\n")
    assert result.ok and result.created_count == 1
    assert Membership.objects.get(user__email="one@example.com").team is None


def test_line_numbers_count_blank_rows_like_a_spreadsheet(cast):
    result = import_csv(cast, "name,email,partner,team,role\n\n\n,x@example.com,partner-a,,rep\n")
    assert [p.line for p in result.problems] == [4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "ファイルが空です"),
        (b"\r\n\r\n", "ファイルが空です"),
        (b"name,email,partner,team,role\n", "見出し行の下に"),
        ("氏名,メール\n山田,a@example.com\n".encode(), "見出し行(1行目)に次の列がありません: パートナー, 役割"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "CSV ファイルではありません"),
        (b"name,email,partner,team,role\n\xff\xfe\xfa,a@example.com,partner-a,,rep\n", "文字を読み取れません"),
    ],
)
def test_it_refuses_files_it_cannot_use(cast, content, message):
    result = services.people_import_csv(file=io.BytesIO(content), invited_by=cast.admin, send_invitations=False)
    assert not result.ok
    assert result.problems[0].line is None
    assert message in result.problems[0].message


def test_it_refuses_more_than_1000_people(cast):
    # One import is one transaction: the limit keeps its write lock short (services.IMPORT_MAX_ROWS).
    rows = "".join(f"人 {i},p{i}@example.com,partner-a,,rep\n" for i in range(1001))
    result = import_csv(cast, "name,email,partner,team,role\n" + rows)
    assert [p.message for p in result.problems] == [
        "1,001名が含まれています。一度に取り込めるのは1,000名までです。ファイルを分けてください。"
    ]
    assert not User.objects.filter(email="p0@example.com").exists()


def test_it_refuses_a_file_over_2_mb(cast, signed_in):
    big = "name,email,partner,team,role\n" + "x" * (2 * 1024 * 1024)
    response = signed_in(cast.admin).post("/people/import/", {"file": upload(big)})
    assert "ファイルが大きすぎます(上限 2MB)" in response.content.decode()
    result = import_csv(cast, big)
    assert "ファイルが大きすぎます(上限 2MB)" in result.problems[0].message


def test_the_downloaded_template_can_be_filled_in_and_imported(cast, signed_in):
    response = signed_in(cast.admin).get("/people/import/template.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith("\ufeff氏名,メールアドレス,パートナー,チーム,役割".encode())
    result = services.people_import_csv(file=io.BytesIO(content), invited_by=cast.admin, send_invitations=False)
    assert result.ok, result.problems
    assert result.created_count == 2


@pytest.mark.parametrize("who", ["manager_a", "rep_a1", "coach", "author"])
def test_it_refuses_everyone_but_the_admin(cast, signed_in, who):
    client = signed_in(getattr(cast, who))
    assert client.get("/people/import/").status_code == 404
    assert client.get("/people/import/template.csv").status_code == 404
    assert client.post("/people/import/", {"file": upload(GOOD)}).status_code == 404
    assert not User.objects.filter(email="taro@partner-a.example").exists()


def test_the_english_template_loads_as_it_is(cast, signed_in):
    client = signed_in(cast.admin)
    client.cookies["django_language"] = "en"
    content = client.get("/people/import/template.csv").content
    assert content.startswith("\ufeffname,email,partner,team,role".encode())
    result = services.people_import_csv(file=io.BytesIO(content), invited_by=cast.admin, send_invitations=False)
    assert result.ok, result.problems


def test_headers_written_in_full_width_or_with_spaces_are_read(cast):
    text = "氏名 ,Ｅ－ｍａｉｌ,パートナー企業,チーム,役割\n高橋 美咲,misaki@partner-a.example,partner-a,,営業担当者\n"
    result = import_csv(cast, text, encoding="cp932")
    assert result.ok, result.problems


def test_a_tab_separated_utf16_file_as_excel_saves_unicode_text_is_read(cast):
    text = "氏名\tメールアドレス\tパートナー\tチーム\t役割\r\n高橋 美咲\tmisaki@partner-a.example\tpartner-a\t\t営業担当者\r\n"
    result = services.people_import_csv(
        file=io.BytesIO(text.encode("utf-16")), invited_by=cast.admin, send_invitations=False
    )
    assert result.ok, result.problems
    assert User.objects.filter(email="misaki@partner-a.example").exists()
