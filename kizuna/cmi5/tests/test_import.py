"""Importing cmi5 course packages: the structure is checked against the course structure schema and the spec's
semantic rules, every problem is listed, and a refused package leaves nothing behind."""

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from kizuna.cmi5.models import Au, Block, Course
from kizuna.cmi5.services import cmi5_course_import
from kizuna.cmi5.structure import NS
from kizuna.packages.services import PackageError

from .courses import AuDef, CourseDef, cmi5_xml, cmi5_zip

pytestmark = pytest.mark.django_db


def _import(cast: Any, data: bytes) -> Course:
    return cmi5_course_import(upload=io.BytesIO(data), author=cast.author)


def _problems(cast: Any, data: bytes) -> list[str]:
    with pytest.raises(PackageError) as caught:
        _import(cast, data)
    return caught.value.problems


def test_it_imports_a_course_with_blocks_and_aus_in_order(cast: Any) -> None:
    spec = CourseDef(
        aus=[
            AuDef("https://e.com/au/1", "一", "one/index.html?lang=ja", block="https://e.com/b/1"),
            AuDef("https://e.com/au/2", "二", "https://aus.example.org/two.html", move_on="Passed", mastery="0.75"),
        ],
        blocks={"https://e.com/b/1": "ブロック"},
    )
    course = _import(cast, cmi5_zip(spec))
    assert (course.title, course.publisher_id) == ("cmi5入門", "https://example.com/courses/intro")
    aus = list(course.aus.all())
    assert [a.publisher_id for a in aus] == ["https://e.com/au/2", "https://e.com/au/1"]  # document order
    assert aus[1].block == Block.objects.get(course=course, publisher_id="https://e.com/b/1")
    assert aus[1].url == "one/index.html?lang=ja"
    assert aus[0].is_external and aus[0].move_on == "Passed" and aus[0].mastery_score == Decimal("0.75")
    assert default_storage.exists(course.storage_prefix + "one/index.html")


def test_it_imports_a_standalone_cmi5_xml_whose_aus_are_external(cast: Any) -> None:
    spec = CourseDef(aus=[AuDef("https://e.com/au/1", "外部", "https://aus.example.org/one.html")])
    course = _import(cast, cmi5_xml(spec))
    assert course.file_count == 0 and course.aus.get().url == "https://aus.example.org/one.html"


def test_an_au_url_with_a_space_is_refused(cast: Any) -> None:
    # CATAPULT's LMS test 206-1 (an invalid AU URL).
    spec = CourseDef(aus=[AuDef("https://example.com/c/au/1", "A", "http://example.com index.html")])
    with translation.override("en"):
        problems = _problems(cast, cmi5_xml(spec))
    assert len(problems) == 1 and "“http://example.com index.html” is not a valid URL" in problems[0]


def test_a_standalone_cmi5_xml_with_a_relative_url_is_refused(cast: Any) -> None:
    with translation.override("en"):
        problems = _problems(cast, cmi5_xml())
    assert any("relative" in p for p in problems)


def test_it_lists_every_schema_and_semantic_problem_and_stores_nothing(cast: Any) -> None:
    xml = f"""<?xml version="1.0"?>
<courseStructure xmlns="{NS}">
  <course id="https://e.com/c"><title><langstring>C</langstring></title><description><langstring/></description></course>
  <au id="https://e.com/dup" moveOn="Sometimes" masteryScore="1.5" launchMethod="Popup" colour="red">
    <title><langstring>A</langstring></title><description><langstring/></description>
    <objectives><objective idref="https://e.com/nowhere"/></objectives>
    <url>missing/index.html?endpoint=x&amp;mine=1</url>
  </au>
  <block id="https://e.com/dup">
    <title><langstring>B</langstring></title><description><langstring/></description>
    <au id="not an iri"><description><langstring/></description><url>../escape.html</url></au>
  </block>
  <block id="https://e.com/empty"><title><langstring>E</langstring></title><description><langstring/></description></block>
  <au id="https://e.com/masterful" masteryScore="0.12345"><title><langstring>M</langstring></title>
    <description><langstring/></description><url>au1/index.html</url></au>
</courseStructure>""".encode()
    before = Course.objects.count()
    with translation.override("en"):
        problems = _problems(cast, cmi5_zip(xml=xml))
    text = "\n".join(problems)
    for expected in (
        "moveOn “Sometimes”",
        "masteryScore “1.5”",
        "launchMethod “Popup”",
        "no attribute “colour”",
        "is used twice",
        "“https://e.com/nowhere” is not declared",
        "“missing/index.html” is not in the zip",
        "query parameters the launch adds itself: endpoint",
        "needs <title>",
        "is not an IRI",
        "leaves the package",
        "holds no AU and no block",
        "more than 4 decimal places",
    ):
        assert expected in text, expected
    assert Course.objects.count() == before and Au.objects.count() == 0


def test_the_schema_rules_on_text_language_tags_and_extension_elements_are_checked(cast: Any) -> None:
    """What bench/cmi5_xsd_check.py found the reader let through and CourseStructure.xsd refuses: text in an
    element of element-only content, a lang that is not xs:language, an extension element before the schema's
    own elements or in a declared objective, an element of no namespace, an objective reference with content."""
    xml = f"""<?xml version="1.0"?>
<courseStructure xmlns="{NS}" xmlns:x="https://example.com/ext">
  <course id="https://e.com/c"><title><langstring lang="not a language">C</langstring></title>
    <description><langstring/></description></course>
  <objectives><objective id="https://e.com/o"><title><langstring>O</langstring></title>
    <description><langstring/></description><x:note/></objective></objectives>
  <au id="https://e.com/a">stray words
    <title><langstring>A</langstring></title><description><langstring/></description>
    <objectives><objective idref="https://e.com/o">more words</objective></objectives>
    <x:duration>PT5M</x:duration><url>au1/index.html</url><weight xmlns="">2</weight>
  </au>
</courseStructure>""".encode()
    with translation.override("en"):
        text = "\n".join(_problems(cast, cmi5_zip(xml=xml)))
    for expected in (
        "lang “not a language” is not a language tag",
        "<au> may hold elements only, not text",
        "<note> is not allowed in <objective>",
        "<objective idref> holds nothing",
        "<url> comes after an extension element in <au>",
        "<weight> is not allowed in <au>",
    ):
        assert expected in text, (expected, text)
    assert Course.objects.count() == 0


def test_what_the_schema_allows_is_accepted(cast: Any) -> None:
    """An AU after a block, a declared objective's description before its title (xs:all), extension elements and
    attributes at the end, language tags with regions, masteryScore 0 and 1."""
    xml = f"""<?xml version="1.0"?>
<courseStructure xmlns="{NS}" xmlns:x="https://example.com/ext" x:made-by="tool">
  <course id="https://e.com/c"><title><langstring lang="en-US">C</langstring><x:t/></title>
    <description><langstring lang="ja">コース</langstring></description><x:note/></course>
  <objectives><objective id="https://e.com/o"><description><langstring/></description>
    <title><langstring>O</langstring></title></objective></objectives>
  <block id="https://e.com/b"><title><langstring>B</langstring></title><description><langstring/></description>
    <au id="https://e.com/a1" masteryScore="1" x:weight="2"><title><langstring>A1</langstring></title>
      <description><langstring/></description><objectives><objective idref="https://e.com/o"/></objectives>
      <url>au1/index.html</url><x:duration>PT5M</x:duration></au></block>
  <au id="https://e.com/a2" masteryScore="0"><title><langstring>A2</langstring></title>
    <description><langstring/></description><url>au1/index.html</url></au>
  <x:after/>
</courseStructure>""".encode()
    course = _import(cast, cmi5_zip(xml=xml))
    assert [au.publisher_id for au in course.aus.order_by("position")] == ["https://e.com/a1", "https://e.com/a2"]


def test_the_problems_are_in_japanese_for_a_japanese_author(cast: Any) -> None:
    xml = cmi5_xml().replace(b'moveOn="CompletedAndPassed"', b'moveOn="Maybe"')
    with translation.override("ja"):
        problems = _problems(cast, cmi5_zip(xml=xml))
    assert any("moveOn" in p and "いずれでもありません" in p for p in problems), problems


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"not xml at all", "cmi5 course package"),
        (b"<courseStructure><course/></courseStructure>", "not a cmi5 course structure"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "DOCTYPE"),
        (b"<courseStructure", "not valid XML"),
    ],
)
def test_it_refuses_what_is_not_a_course_structure(cast: Any, data: bytes, needle: str) -> None:
    with translation.override("en"):
        assert any(needle in p for p in _problems(cast, data))


def test_a_zip_without_cmi5_xml_or_with_an_escaping_path_is_refused(cast: Any) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("../evil.html", "x")
        zf.writestr("index.html", "x")
    with translation.override("en"):
        problems = _problems(cast, buffer.getvalue())
    assert any("no cmi5.xml" in p for p in problems) and any("leaves the package" in p for p in problems)


def test_a_zip_bomb_is_refused_before_anything_is_written(cast: Any, settings: Any) -> None:
    settings.PACKAGE_MAX_RATIO = 10
    bomb = b"\0" * (2 * 1024 * 1024)
    with translation.override("en"):
        problems = _problems(cast, cmi5_zip(extra={"au1/bomb.bin": bomb}))
    assert any("zip bomb" in p for p in problems)
    assert Course.objects.count() == 0


def test_the_studio_imports_a_cmi5_course_as_a_lesson(cast: Any) -> None:
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="取込", slug="cmi5-import")
    client = Client()
    client.force_login(cast.author)
    upload = io.BytesIO(cmi5_zip())
    upload.name = "course.zip"
    response = client.post("/studio/cmi5/import/", {"course": course.pk, "file": upload, "title": ""})
    assert response.status_code == 302
    lesson = course.modules.get().lessons.get()
    assert (lesson.kind, lesson.title) == ("cmi5", "cmi5入門")
    bad = io.BytesIO(cmi5_zip(xml=cmi5_xml().replace(b"<url>au1/index.html</url>", b"<url>gone.html</url>")))
    bad.name = "bad.zip"
    response = client.post("/studio/cmi5/import/", {"course": course.pk, "file": bad, "title": ""})
    assert response.status_code == 200 and "gone.html" in response.content.decode()
    assert Course.objects.count() == 1


def test_package_import_command_takes_a_cmi5_zip(cast: Any, tmp_path: Any, capsys: Any) -> None:
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="取込", slug="cmi5-cmd")
    good = tmp_path / "good.zip"
    good.write_bytes(cmi5_zip())
    call_command("package_import", str(good), "--course", str(course.pk))
    lesson_id = int(capsys.readouterr().out.strip())
    assert course.modules.get().lessons.get(pk=lesson_id).kind == "cmi5"
    bad = tmp_path / "bad.zip"
    bad.write_bytes(cmi5_zip(xml=cmi5_xml().replace(b'masteryScore="0.8"', b'masteryScore="2"')))
    with pytest.raises(CommandError, match="masteryScore"):
        call_command("package_import", str(bad), "--course", str(course.pk))
    assert Course.objects.count() == 1


def test_an_author_adds_a_cmi5_lesson_from_the_course_editor_and_publishes_it(cast: Any) -> None:
    from kizuna.catalog import services as catalog

    cmi5 = _import(cast, cmi5_zip())
    course = catalog.course_create(author=cast.author, title="取り込み", slug="cmi5-editor")
    module = catalog.module_create(course=course, title="第1章")
    author = Client()
    author.force_login(cast.author)
    page = author.get(f"/studio/courses/{course.pk}/").content.decode()
    assert f"/studio/modules/{module.pk}/lessons/new/?kind=cmi5" in page and 'id="import-cmi5"' in page
    form = author.get(f"/studio/modules/{module.pk}/lessons/new/?kind=cmi5").content.decode()
    assert f'<option value="{cmi5.pk}">cmi5入門 (cmi5、' in form
    response = author.post(
        f"/studio/modules/{module.pk}/lessons/new/",
        {"kind": "cmi5", "title": "cmi5", "estimated_minutes": 10, "content": cmi5.pk},
    )
    assert response.status_code == 302
    version = catalog.course_publish(course=course, publisher=cast.author)
    assert (version.lessons.get().kind, version.lessons.get().content_id) == ("cmi5", cmi5.pk)


def test_it_imports_a_course_of_more_than_a_thousand_aus(cast: Any) -> None:
    spec = CourseDef(
        aus=[AuDef(f"https://e.com/au/{n}", f"AU {n}", f"https://aus.example.org/{n}.html") for n in range(1001)]
    )
    course = _import(cast, cmi5_xml(spec))
    assert course.aus.count() == 1001
    assert list(course.aus.order_by("position").values_list("publisher_id", flat=True)[:2]) == [
        "https://e.com/au/0",
        "https://e.com/au/1",
    ]
