"""cmi5 course packages made for the tests: a cmi5.xml, and a small real AU (HTML + JS) that talks to the
LMS's real endpoints with fetch(): the fetch URL, LMS.LaunchData in the State API and the Statements API."""

import io
import zipfile
from dataclasses import dataclass, field

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

# The AU: reads the launch parameters, fetches its auth-token once, reads LMS.LaunchData, sends `initialized`;
# "合格して終了" sends completed, passed (score 0.9) and terminated, then returns to the LMS (returnURL).
AU_HTML = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>cmi5 AU</title></head>
<body>
<h1>テストAU</h1>
<p>状態: <span id="status">-</span></p>
<p>モード: <span id="mode">-</span></p>
<button id="finish" disabled>合格して終了</button>
<script src="au.js"></script>
</body></html>
"""

AU_JS = """
(function () {
  var q = new URLSearchParams(location.search);
  var endpoint = q.get("endpoint"), fetchUrl = q.get("fetch"), actor = JSON.parse(q.get("actor"));
  var registration = q.get("registration"), activityId = q.get("activityId");
  var auth = null, launchData = null, started = Date.now();
  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  function show(text) { document.getElementById("status").textContent = text; }
  function uuid() { return crypto.randomUUID(); }
  function headers() {
    return {"Authorization": "Basic " + auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"};
  }
  function duration() { return "PT" + Math.max(1, Math.round((Date.now() - started) / 1000)) + "S"; }
  function statement(verb, result, moveOn) {
    var ctx = JSON.parse(JSON.stringify(launchData.contextTemplate));
    ctx.registration = registration;
    ctx.contextActivities = ctx.contextActivities || {};
    ctx.contextActivities.category = [{"id": CMI5}].concat(moveOn ? [{"id": MOVEON}] : []);
    var st = {"id": uuid(), "actor": actor, "verb": {"id": "http://adlnet.gov/expapi/verbs/" + verb},
              "object": {"id": activityId, "objectType": "Activity"}, "context": ctx,
              "timestamp": new Date().toISOString()};
    if (result) { st.result = result; }
    return st;
  }
  function send(statements) {
    return fetch(endpoint + "statements", {method: "POST", headers: headers(), body: JSON.stringify(statements)})
      .then(function (r) { if (!r.ok) { throw new Error("statements " + r.status); } return r.json(); });
  }
  fetch(fetchUrl, {method: "POST"}).then(function (r) { return r.json(); }).then(function (body) {
    if (!body["auth-token"]) { throw new Error("fetch " + body["error-code"]); }
    auth = body["auth-token"];
    var state = endpoint + "activities/state?" + new URLSearchParams({
      "activityId": activityId, "agent": JSON.stringify(actor), "registration": registration, "stateId": "LMS.LaunchData"});
    return fetch(state, {headers: headers()});
  }).then(function (r) { return r.json(); }).then(function (data) {
    launchData = data;
    document.getElementById("mode").textContent = data.launchMode + " " + data.moveOn;
    return send([statement("initialized")]);
  }).then(function () {
    show("initialized");
    document.getElementById("finish").disabled = false;
  }).catch(function (e) { show("error: " + e.message); });
  document.getElementById("finish").addEventListener("click", function () {
    send([
      statement("completed", {"completion": true, "duration": duration()}, true),
      statement("passed", {"success": true, "score": {"scaled": 0.9}, "duration": duration()}, true),
      statement("terminated", {"duration": duration()})
    ]).then(function () {
      show("terminated");
      if (launchData.returnURL) { location.href = launchData.returnURL; }
    }).catch(function (e) { show("error: " + e.message); });
  });
})();
"""


@dataclass
class AuDef:
    id: str
    title: str
    url: str
    move_on: str = "CompletedAndPassed"
    mastery: str | None = "0.8"
    block: str | None = None


@dataclass
class CourseDef:
    course_id: str = "https://example.com/courses/intro"
    title: str = "cmi5入門"
    aus: list[AuDef] = field(
        default_factory=lambda: [AuDef("https://example.com/courses/intro/au/1", "第1回", "au1/index.html")]
    )
    blocks: dict[str, str] = field(default_factory=dict)  # block id -> title


def _text(title: str) -> str:
    return f'<title><langstring lang="ja-JP">{title}</langstring><langstring lang="en-US">{title} (en)</langstring></title>'


def _au(au: AuDef) -> str:
    mastery = f' masteryScore="{au.mastery}"' if au.mastery is not None else ""
    return (
        f'<au id="{au.id}" moveOn="{au.move_on}"{mastery}>{_text(au.title)}'
        f'<description><langstring lang="ja-JP">説明</langstring></description><url>{au.url}</url></au>'
    )


def cmi5_xml(spec: CourseDef | None = None) -> bytes:
    spec = spec or CourseDef()
    body = []
    for au in spec.aus:
        if au.block is None:
            body.append(_au(au))
    for block_id, title in spec.blocks.items():
        inner = "".join(_au(au) for au in spec.aus if au.block == block_id)
        body.append(
            f'<block id="{block_id}">{_text(title)}<description><langstring>ブロック</langstring></description>{inner}</block>'
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<courseStructure xmlns="{NS}">'
        f'<course id="{spec.course_id}">{_text(spec.title)}<description><langstring lang="ja-JP">コース</langstring>'
        f"</description></course>{''.join(body)}</courseStructure>"
    ).encode()


def cmi5_zip(
    spec: CourseDef | None = None, *, xml: bytes | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    spec = spec or CourseDef()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("cmi5.xml", xml if xml is not None else cmi5_xml(spec))
        for au in spec.aus:
            if not au.url.startswith("http"):
                folder = au.url.rsplit("/", 1)[0]
                zf.writestr(au.url.split("?")[0], AU_HTML)
                zf.writestr(f"{folder}/au.js", AU_JS)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buffer.getvalue()
