"""Reading an uploaded SCORM zip safely: the limits, the paths, the manifest. Nothing here stores anything.

The zip is refused as a whole with every problem found (in the user's language): no manifest, a manifest that
is not XML or not SCORM, an item whose resource is missing, a path that would escape the package (``..``, an
absolute path, a drive letter, a symlink), a zip bomb (a file whose compression ratio is too high, or more
bytes or files in all than allowed) and files over the size limit. The manifest is parsed by defusedxml, so
entities and DTDs cannot be abused.
"""

import posixpath
import stat
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import sequencing

MANIFEST = "imsmanifest.xml"
# Compression ratio above which a file is taken for a zip bomb (only files over RATIO_MIN_BYTES are judged:
# a small file of spaces compresses well and harms nobody).
RATIO_MIN_BYTES = 1024 * 1024


def limits() -> dict[str, int]:
    """The size limits, from settings (PACKAGE_MAX_FILE_BYTES, PACKAGE_MAX_TOTAL_BYTES, …) or these defaults."""
    return {
        "file_bytes": getattr(settings, "PACKAGE_MAX_FILE_BYTES", 200 * 1024 * 1024),
        "total_bytes": getattr(settings, "PACKAGE_MAX_TOTAL_BYTES", 1024 * 1024 * 1024),
        "files": getattr(settings, "PACKAGE_MAX_FILES", 10_000),
        "ratio": getattr(settings, "PACKAGE_MAX_RATIO", 100),
    }


@dataclass
class ScoSpec:
    identifier: str
    title: str
    depth: int
    href: str
    is_asset: bool
    mastery_score: float | None
    launch_data: str


@dataclass
class PackageSpec:
    title: str
    standard: str  # a models.Standard value
    schema_version: str
    scos: list[ScoSpec]
    # SCORM 2004's activity tree with its sequencing ({} when none: kizuna.packages.sequencing).
    sequencing: dict[str, Any]
    # Package-relative path -> the zip member it is read from.
    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        return sum(info.file_size for info in self.files.values())


class PackageProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def safe_path(name: str) -> str | None:
    """Return the member's normalised package-relative path, or None if it would leave the package."""
    if "\\" in name or "\x00" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _check_members(archive: zipfile.ZipFile) -> tuple[dict[str, zipfile.ZipInfo], list[str]]:
    lim = limits()
    problems: list[str] = []
    files: dict[str, zipfile.ZipInfo] = {}
    total = 0
    infos = archive.infolist()
    if len(infos) > lim["files"]:
        problems.append(
            _("The package has %(count)s files; at most %(max)s are allowed.")
            % {"count": len(infos), "max": lim["files"]}
        )
    for info in infos:
        path = safe_path(info.filename)
        if path is None:
            problems.append(
                _("The path “%(name)s” leaves the package (absolute or with ..).") % {"name": info.filename}
            )
            continue
        if _is_symlink(info):
            problems.append(_("“%(name)s” is a symbolic link; packages may not contain links.") % {"name": path})
            continue
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            problems.append(_("“%(name)s” is encrypted.") % {"name": path})
            continue
        if info.file_size > lim["file_bytes"]:
            problems.append(
                _("“%(name)s” is %(size)s; files may be at most %(max)s.")
                % {"name": path, "size": filesizeformat(info.file_size), "max": filesizeformat(lim["file_bytes"])}
            )
        if info.file_size > RATIO_MIN_BYTES and info.file_size > lim["ratio"] * max(info.compress_size, 1):
            problems.append(
                _("“%(name)s” expands more than %(ratio)s times (a zip bomb?).") % {"name": path, "ratio": lim["ratio"]}
            )
        if path.lower() in {p.lower() for p in files}:
            problems.append(_("“%(name)s” is in the package twice.") % {"name": path})
        total += info.file_size
        files[path] = info
    if total > lim["total_bytes"]:
        problems.append(
            _("The package expands to %(size)s; at most %(max)s is allowed.")
            % {"size": filesizeformat(total), "max": filesizeformat(lim["total_bytes"])}
        )
    return files, problems


def zip_open(upload: IO[bytes]) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo], list[str]]:
    """Open an uploaded zip and check its members (paths, links, sizes, ratios) by the package limits.

    Return the archive, its files by package-relative path and every problem found (refuse if there are any).
    """
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageProblems([_("The file is not a zip archive. Upload the package as exported (.zip).")]) from None
    files, problems = _check_members(archive)
    return archive, files, problems


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read one member, never more than it claims to hold (a lying header cannot expand further)."""
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise PackageProblems([_("“%(name)s” is damaged in the zip.") % {"name": info.filename}])
    return data


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _attr(element: Element, name: str) -> str:
    """An attribute by its local name, whatever its namespace (adlcp:scormtype, adlcp:scormType, xml:base)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _title(element: Element) -> str:
    return _text(_child(element, "title"))[:200]


def _standard(root: Element) -> tuple[str, str] | None:
    metadata = _child(root, "metadata")
    version = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    namespaces = " ".join([root.tag, *(key for el in root.iter() for key in el.attrib)])
    if version == "1.2" or "adlcp_rootv1p2" in namespaces:
        return "scorm12", version or "1.2"
    if version.startswith(("2004", "CAM 1.3")) or "adlcp_v1p3" in namespaces or "imsss" in namespaces:
        return "scorm2004", version or "2004"
    if not version and root.tag.startswith("{http://www.imsglobal.org/xsd/imscp_v1p1}"):
        return "scorm2004", "2004"  # 2004's content packaging namespace (1.2's is imscp_rootv1p1p2), no version
    return None


def _mastery(item: Element, standard: str) -> float | None:
    if standard == "scorm12":
        text = _text(_child(item, "masteryscore"))
        try:
            return max(0.0, min(100.0, float(text))) if text else None
        except ValueError:
            return None
    for seq in _children(item, "sequencing"):
        for objectives in _children(seq, "objectives"):
            primary = _child(objectives, "primaryObjective")
            if primary is not None and _attr(primary, "satisfiedByMeasure").lower() == "true":
                measure = _text(_child(primary, "minNormalizedMeasure"))
                try:
                    return max(0.0, min(100.0, float(measure) * 100)) if measure else None
                except ValueError:
                    return None
    return None


def _join(base: str, href: str) -> str:
    path, sep, rest = href.partition("?")
    if not sep:
        path, sep, rest = href.partition("#")
    joined = posixpath.normpath(posixpath.join(base, path)) if base else posixpath.normpath(path)
    return joined + sep + rest


def _with_parameters(href: str, parameters: str) -> str:
    """The launch href with the item's parameters, joined as SCORM CAM 2004 (3.4.1.13) says: a leading "?"
    becomes "&" when the href has a query already, and a bare "a=b" gets the "?" or "&" it lacks."""
    if not parameters or parameters.startswith("#"):
        return href + parameters
    parameters = parameters.lstrip("?&")
    return href + ("&" if "?" in href else "?") + parameters


def _scos(
    root: Element, standard: str, files: dict[str, zipfile.ZipInfo], problems: list[str]
) -> tuple[str, list, dict[str, Any]]:
    organizations = _child(root, "organizations")
    orgs = _children(organizations, "organization") if organizations is not None else []
    if not orgs:
        problems.append(_("The manifest has no organization (the course's structure)."))
        return "", [], {}
    default = _attr(organizations, "default") if organizations is not None else ""
    org = next((o for o in orgs if _attr(o, "identifier") == default), orgs[0])
    resources_el = _child(root, "resources")
    resources_base = _attr(resources_el, "base") if resources_el is not None else ""
    resources = {
        _attr(r, "identifier"): r for r in (_children(resources_el, "resource") if resources_el is not None else [])
    }
    lower_files = {p.lower() for p in files}
    for resource in resources.values():
        base = posixpath.join(resources_base, _attr(resource, "base"))
        for file_el in _children(resource, "file"):
            listed = _join(base, _attr(file_el, "href")).partition("?")[0]
            if safe_path(listed) is None or listed.lower() not in lower_files:
                problems.append(
                    _("The resource “%(id)s” lists “%(file)s”, which is not in the package.")
                    % {"id": _attr(resource, "identifier"), "file": _attr(file_el, "href")}
                )
    scos: list[ScoSpec] = []

    def visit(item: Element, depth: int) -> None:
        ref = _attr(item, "identifierref")
        identifier = _attr(item, "identifier") or f"item-{len(scos) + 1}"
        if ref:
            resource = resources.get(ref)
            href = _attr(resource, "href") if resource is not None else ""
            if resource is None:
                problems.append(
                    _("The item “%(item)s” refers to the resource “%(ref)s”, which the manifest does not have.")
                    % {"item": _title(item) or identifier, "ref": ref}
                )
            elif not href:
                problems.append(_("The resource “%(ref)s” has no launch file (href).") % {"ref": ref})
            else:
                base = posixpath.join(resources_base, _attr(resource, "base"))
                launch = _join(base, _with_parameters(href, _attr(item, "parameters")))
                path = launch.partition("?")[0].partition("#")[0]
                if safe_path(path) is None or path.lower() not in lower_files:
                    problems.append(
                        _("The launch file “%(file)s” of “%(item)s” is not in the package.")
                        % {"file": href, "item": _title(item) or identifier}
                    )
                else:
                    scos.append(
                        ScoSpec(
                            identifier=identifier[:200],
                            title=_title(item) or identifier[:200],
                            depth=depth,
                            href=launch[:2000],
                            is_asset=(_attr(resource, "scormtype") or "asset").lower() != "sco",
                            mastery_score=_mastery(item, standard),
                            # 1.2 spells it adlcp:datafromlms, 2004 adlcp:dataFromLMS
                            launch_data=_text(_child(item, "dataFromLMS") or _child(item, "datafromlms"))[:4096],
                        )
                    )
        for child in _children(item, "item"):
            visit(child, depth + 1)

    for item in _children(org, "item"):
        visit(item, 0)
    if not scos and not problems:
        problems.append(_("The package has nothing to launch (no item points at a resource)."))
    tree = sequencing.tree_from(root, org, {s.identifier for s in scos}) if standard == "scorm2004" else {}
    return _title(org), scos, tree


def package_read(upload: IO[bytes]) -> tuple[PackageSpec, zipfile.ZipFile]:
    """Check an uploaded zip and return what it holds, or raise PackageProblems listing everything wrong."""
    archive, files, problems = zip_open(upload)
    info = files.get(MANIFEST)
    if info is None:
        problems.append(
            _(
                "The zip has neither imsmanifest.xml (SCORM) nor cmi5.xml (cmi5) at its top level: it is not a "
                "package exported for an LMS."
            )
        )
        raise PackageProblems(problems)
    if problems:  # never parse a manifest of a package that is already refused for its paths or sizes
        raise PackageProblems(problems)
    try:
        root = fromstring(read_member(archive, info))
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise PackageProblems([_("imsmanifest.xml is not valid XML: %(error)s") % {"error": exc}]) from None
    if _local(root.tag) != "manifest":
        raise PackageProblems([_("imsmanifest.xml is not a manifest (its root element is not <manifest>).")])
    found = _standard(root)
    if found is None:
        raise PackageProblems([_("imsmanifest.xml says neither SCORM 1.2 nor SCORM 2004 (schemaversion).")])
    standard, version = found
    org_title, scos, tree = _scos(root, standard, files, problems)
    if problems:
        raise PackageProblems(problems)
    title = org_title or _attr(root, "identifier") or "SCORM"
    spec = PackageSpec(
        title=title, standard=standard, schema_version=version[:60], scos=scos, sequencing=tree, files=files
    )
    return spec, archive
