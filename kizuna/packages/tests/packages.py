"""Small SCORM packages made the way authoring tools make them: imsmanifest.xml at the top, SCO pages that find the
API in a parent window, initialize, answer, score, suspend and finish."""

import io
import zipfile
from dataclasses import dataclass, field

SCO_12_JS = """
function findAPI(w) { var n = 0; while (w && !w.API && w.parent && w.parent !== w && n++ < 10) { w = w.parent; }
  return w ? w.API : null; }
var api = findAPI(window);
api.LMSInitialize("");
document.getElementById("resume").textContent = api.LMSGetValue("cmi.suspend_data") || "-";
document.getElementById("name").textContent = api.LMSGetValue("cmi.core.student_name");
document.getElementById("answer").addEventListener("click", function () {
  api.LMSSetValue("cmi.interactions.0.id", "q-price");
  api.LMSSetValue("cmi.interactions.0.type", "choice");
  api.LMSSetValue("cmi.interactions.0.student_response", "b");
  api.LMSSetValue("cmi.interactions.0.result", "correct");
  api.LMSSetValue("cmi.interactions.0.correct_responses.0.pattern", "b");
  api.LMSSetValue("cmi.core.score.raw", "90");
  api.LMSSetValue("cmi.core.lesson_status", "passed");
  api.LMSSetValue("cmi.core.session_time", "00:02:05");
  api.LMSSetValue("cmi.suspend_data", "slide=3");
  api.LMSSetValue("cmi.core.exit", "suspend");
  api.LMSCommit("");
  api.LMSFinish("");
  document.getElementById("done").textContent = "finished";
});
"""

SCO_2004_JS = """
function findAPI(w) { var n = 0; while (w && !w.API_1484_11 && w.parent && w.parent !== w && n++ < 10) { w = w.parent; }
  return w ? w.API_1484_11 : null; }
var api = findAPI(window);
api.Initialize("");
document.getElementById("resume").textContent = api.GetValue("cmi.suspend_data") || "-";
document.getElementById("name").textContent = api.GetValue("cmi.learner_name");
document.getElementById("answer").addEventListener("click", function () {
  api.SetValue("cmi.interactions.0.id", "q-price");
  api.SetValue("cmi.interactions.0.type", "choice");
  api.SetValue("cmi.interactions.0.learner_response", "b");
  api.SetValue("cmi.interactions.0.result", "correct");
  api.SetValue("cmi.interactions.0.correct_responses.0.pattern", "b");
  api.SetValue("cmi.score.scaled", "0.9");
  api.SetValue("cmi.score.raw", "90");
  api.SetValue("cmi.completion_status", "completed");
  api.SetValue("cmi.success_status", "passed");
  api.SetValue("cmi.session_time", "PT2M5S");
  api.SetValue("cmi.suspend_data", "slide=3");
  api.Commit("");
  api.Terminate("");
  document.getElementById("done").textContent = "finished";
});
"""

PAGE = """<!doctype html><html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body><h1>{title}</h1><p>受講者: <span id="name"></span></p><p>前回: <span id="resume"></span></p>
<p>Q. 価格について正しいのは?</p><button id="answer" style="min-height:44px">b を選んで送信</button>
<p id="done"></p><img src="images/logo.png" alt=""><script src="{js}"></script></body></html>"""

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class Spec:
    standard: str = "scorm12"  # or "scorm2004"
    # (identifier, title, launch file)
    scos: list[tuple[str, str, str]] = field(default_factory=lambda: [("sco-1", "はじめに", "sco1/index.html")])
    schema_version: str = ""
    mastery: str = ""
    nested: bool = False


def manifest(spec: Spec) -> str:
    is12 = spec.standard == "scorm12"
    version = spec.schema_version or ("1.2" if is12 else "2004 4th Edition")
    adlcp = "http://www.adlnet.org/xsd/adlcp_rootv1p2" if is12 else "http://www.adlnet.org/xsd/adlcp_v1p3"
    type_attr = "adlcp:scormtype" if is12 else "adlcp:scormType"
    items, resources = [], []
    for identifier, title, href in spec.scos:
        mastery = ""
        if spec.mastery and is12:
            mastery = f"<adlcp:masteryscore>{spec.mastery}</adlcp:masteryscore>"
        elif spec.mastery:
            mastery = (
                '<imsss:sequencing><imsss:objectives><imsss:primaryObjective satisfiedByMeasure="true">'
                f"<imsss:minNormalizedMeasure>{spec.mastery}</imsss:minNormalizedMeasure>"
                "</imsss:primaryObjective></imsss:objectives></imsss:sequencing>"
            )
        items.append(
            f'<item identifier="item-{identifier}" identifierref="res-{identifier}"><title>{title}</title>{mastery}</item>'
        )
        folder = href.rsplit("/", 1)[0] + "/" if "/" in href else ""
        resources.append(
            f'<resource identifier="res-{identifier}" type="webcontent" {type_attr}="sco" href="{href}">'
            f'<file href="{href}"/><file href="{folder}sco.js"/><file href="{folder}images/logo.png"/></resource>'
        )
    body = "".join(items)
    if spec.nested:
        body = f'<item identifier="chapter"><title>第1部</title>{body}</item>'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="kizuna-test" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="{adlcp}" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>{version}</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>営業の基本パッケージ</title>{body}</organization></organizations>
  <resources>{"".join(resources)}</resources>
</manifest>"""


def package_zip(spec: Spec | None = None, *, extra: dict[str, bytes] | None = None, drop: tuple = ()) -> bytes:
    """The bytes of a package zip made from the spec; ``extra`` adds members, ``drop`` leaves some out."""
    spec = spec or Spec()
    js = SCO_12_JS if spec.standard == "scorm12" else SCO_2004_JS
    members: dict[str, bytes] = {"imsmanifest.xml": manifest(spec).encode()}
    for _identifier, title, href in spec.scos:
        folder = href.rsplit("/", 1)[0] + "/" if "/" in href else ""
        members[href] = PAGE.format(title=title, js="sco.js").encode()
        members[folder + "sco.js"] = js.encode()
        members[folder + "images/logo.png"] = PNG
    members.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name not in drop:
                archive.writestr(name, data)
    return buffer.getvalue()
