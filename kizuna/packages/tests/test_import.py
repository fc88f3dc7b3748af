"""Importing SCORM zips: what becomes the lesson's structure, and every way a bad package is refused with nothing stored."""

import io
import os
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from kizuna.catalog.models import Lesson
from kizuna.packages.models import Package, Sco
from kizuna.packages.services import PackageError, package_import

from .packages import Spec, manifest, package_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The problems are asserted in English here; test_views checks the Japanese the studio shows."""
    with translation.override("en"):
        yield


def _import(cast: Any, data: bytes) -> Package:
    return package_import(upload=io.BytesIO(data), author=cast.author)


def _refusal(cast: Any, data: bytes) -> list[str]:
    with pytest.raises(PackageError) as caught:
        _import(cast, data)
    assert Package.objects.count() == 0 and Sco.objects.count() == 0
    assert not os.path.exists(os.path.join(default_storage.location, "packages")) or not any(
        files for _root, _dirs, files in os.walk(os.path.join(default_storage.location, "packages"))
    )
    return caught.value.problems


def _zip(members: dict[str, bytes], *, symlink: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.create_system = 3
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def test_it_imports_a_scorm12_package_with_its_sco_and_files(cast: Any) -> None:
    package = _import(cast, package_zip(Spec(mastery="80")))
    assert (package.title, package.standard, package.schema_version) == ("営業の基本パッケージ", "scorm12", "1.2")
    sco = package.scos.get()
    assert (sco.identifier, sco.title, sco.href, sco.is_asset, sco.mastery_score) == (
        "item-sco-1",
        "はじめに",
        "sco1/index.html",
        False,
        80.0,
    )
    assert default_storage.exists(f"packages/{package.key}/sco1/images/logo.png")
    assert package.file_count == 4


def test_it_imports_a_scorm2004_package_with_nested_scos_in_order(cast: Any) -> None:
    spec = Spec(
        standard="scorm2004",
        schema_version="2004 3rd Edition",
        scos=[("a", "第1章", "a/index.html"), ("b", "第2章", "b/index.html")],
        nested=True,
        mastery="0.75",
    )
    package = _import(cast, package_zip(spec))
    assert (package.standard, package.schema_version) == ("scorm2004", "2004 3rd Edition")
    scos = list(package.scos.values_list("title", "depth", "mastery_score"))
    assert scos == [("第1章", 1, 75.0), ("第2章", 1, 75.0)]


def test_it_refuses_a_file_that_is_not_a_zip(cast: Any) -> None:
    assert _refusal(cast, b"%PDF-1.4 not a zip") == [
        "The file is not a zip archive. Upload the package as exported (.zip)."
    ]


def test_it_refuses_a_zip_without_a_manifest(cast: Any) -> None:
    problems = _refusal(cast, package_zip(drop=("imsmanifest.xml",)))
    assert problems[0].startswith("The zip has neither imsmanifest.xml (SCORM) nor cmi5.xml (cmi5)")


def test_it_refuses_a_manifest_that_is_not_xml(cast: Any) -> None:
    problems = _refusal(cast, package_zip(extra={"imsmanifest.xml": b"<manifest><oops></manifest>"}))
    assert problems[0].startswith("imsmanifest.xml is not valid XML")


def test_it_refuses_a_manifest_with_entity_expansion(cast: Any) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><manifest>&b;</manifest>'
    problems = _refusal(cast, package_zip(extra={"imsmanifest.xml": bomb}))
    assert problems[0].startswith("imsmanifest.xml is not valid XML")


def test_it_refuses_a_manifest_that_is_not_scorm(cast: Any) -> None:
    problems = _refusal(cast, package_zip(extra={"imsmanifest.xml": b"<manifest><organizations/></manifest>"}))
    assert problems == ["imsmanifest.xml says neither SCORM 1.2 nor SCORM 2004 (schemaversion)."]


def test_a_scorm2004_manifest_without_a_schemaversion_is_known_by_its_packaging_namespace(cast: Any) -> None:
    # As in Rustici's "CP Single SCO, 2nd Edition" sample: no <schemaversion>, the 2004 packaging namespace.
    text = manifest(Spec(standard="scorm2004")).replace("<schemaversion>2004 4th Edition</schemaversion>", "")
    text = text.replace("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "http://www.imsglobal.org/xsd/imscp_v1p1")
    text = text.replace("adlcp_v1p3", "adlcp_v1p2").replace(' xmlns:imsss="http://www.imsglobal.org/xsd/imsss"', "")
    package = _import(cast, package_zip(Spec(standard="scorm2004"), extra={"imsmanifest.xml": text.encode()}))
    assert package.standard == "scorm2004" and package.scos.count() == 1


def test_it_refuses_a_missing_launch_file_and_a_missing_resource_listing_both(cast: Any) -> None:
    text = manifest(Spec(scos=[("a", "A", "a/index.html"), ("b", "B", "b/index.html")]))
    text = text.replace('identifierref="res-b"', 'identifierref="res-gone"')
    data = package_zip(
        Spec(scos=[("a", "A", "a/index.html"), ("b", "B", "b/index.html")]),
        extra={"imsmanifest.xml": text.encode()},
        drop=("a/index.html",),
    )
    problems = _refusal(cast, data)
    assert "The resource “res-a” lists “a/index.html”, which is not in the package." in problems
    assert "The launch file “a/index.html” of “A” is not in the package." in problems
    assert "The item “B” refers to the resource “res-gone”, which the manifest does not have." in problems


@pytest.mark.parametrize("name", ["../evil.html", "sco1/../../evil.html", "/etc/evil.html", "C:/evil.html", "a\\..\\b"])
def test_it_refuses_paths_that_leave_the_package(cast: Any, name: str) -> None:
    problems = _refusal(cast, package_zip(extra={name: b"x"}))
    assert any("leaves the package" in p for p in problems)


def test_it_refuses_symbolic_links(cast: Any) -> None:
    members = {"imsmanifest.xml": manifest(Spec()).encode()}
    problems = _refusal(cast, _zip(members, symlink="sco1/index.html"))
    assert "“sco1/index.html” is a symbolic link; packages may not contain links." in problems


def test_it_refuses_a_zip_bomb_by_its_compression_ratio(cast: Any) -> None:
    problems = _refusal(cast, package_zip(extra={"media/zeros.bin": b"\0" * (3 * 1024 * 1024)}))
    assert "“media/zeros.bin” expands more than 100 times (a zip bomb?)." in problems


def test_it_refuses_files_over_the_size_limits(cast: Any, settings: Any) -> None:
    settings.PACKAGE_MAX_FILE_BYTES = 2000
    settings.PACKAGE_MAX_TOTAL_BYTES = 5000
    problems = _refusal(cast, package_zip(extra={"video.mp4": os.urandom(3000)}))
    assert "“video.mp4” is 2.9\xa0KB; files may be at most 2.0\xa0KB." in problems
    assert any(p.startswith("The package expands to") for p in problems)


def test_the_command_prints_the_new_lessons_id(cast: Any, tmp_path: Any, capsys: Any) -> None:
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="取り込み", slug="import")
    path = tmp_path / "package.zip"
    path.write_bytes(package_zip())
    call_command("package_import", str(path), "--course", str(course.pk))
    lesson = Lesson.objects.get(module__course=course)
    assert capsys.readouterr().out.strip() == str(lesson.pk)
    assert (lesson.kind, lesson.title, lesson.module.title) == (
        "package",
        "営業の基本パッケージ",
        "営業の基本パッケージ",
    )


def test_the_command_lists_every_problem_and_stores_nothing(cast: Any, tmp_path: Any) -> None:
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="取り込み", slug="import")
    path = tmp_path / "bad.zip"
    path.write_bytes(package_zip(extra={"../a": b"x", "/b": b"y"}))
    with pytest.raises(CommandError) as caught:
        call_command("package_import", str(path), "--course", str(course.pk))
    assert str(caught.value).count("leaves the package") == 2
    assert not Lesson.objects.filter(module__course=course).exists() and not Package.objects.exists()
