"""The demo's imported e-learning: a small SCORM 1.2 package and a small cmi5 course, made here (our own bilingual
content, no authoring tool), imported through the same services as the studio's upload, in one course assigned
(optional) to every agency, so a new user sees both kinds play after `make run`.

The SCO finds the SCORM API in its parent page, resumes its answers from ``cmi.suspend_data``, records each answer
as an interaction and its score (the manifest's mastery score decides passed or failed); the AU does the cmi5
launch sequence with fetch(): the one-time auth token, LMS.LaunchData, initialized, answered, completed,
passed or failed, terminated, then back to the lesson page.
"""

import io
import zipfile
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model

from kizuna.catalog import services as catalog
from kizuna.catalog.selectors import draft_courses
from kizuna.cmi5.services import cmi5_lesson_import
from kizuna.orgs.selectors import organizations_all
from kizuna.packages.services import package_lesson_import

AUTHOR, ADMIN = "author@principal.example", "admin@principal.example"
SLUG = "imported-elearning"

QUESTIONS = (
    # (id, question ja, question en, [(value, choice ja, choice en)], the right value)
    (
        "value-first",
        "お客様に「高いね」と言われたら、最初に何をしますか。",
        "A customer says “That's expensive.” What do you do first?",
        [("a", "すぐに値引きを提案する", "Offer a discount at once"), ("b", "何と比べて高いのかを聞く", "Ask what they compare it with")],
        "b",
    ),
    (
        "proof",
        "価値を伝えるのに一番効くのはどれですか。",
        "What shows the value best?",
        [("a", "同じ業種のお客様の導入事例", "A case from a customer in the same trade"), ("b", "機能の一覧表", "The feature list")],
        "a",
    ),
)  # fmt: skip

STYLE = """body{font-family:system-ui,sans-serif;margin:0;padding:16px;line-height:1.6;color:#1b1b1b}
h1{font-size:1.25rem;margin:0 0 4px}.en{color:#555;font-size:.9rem;margin:0}fieldset{border:1px solid #ccc;
border-radius:8px;margin:12px 0;padding:8px 12px}label{display:flex;gap:8px;align-items:center;min-height:44px}
button{min-height:44px;padding:0 20px;font-size:1rem;border-radius:8px;border:0;background:#1d4ed8;color:#fff}
#result{font-weight:bold;margin-top:12px}"""


def _questions_html() -> str:
    parts = []
    for qid, ja, en, choices, _right in QUESTIONS:
        options = "".join(
            f'<label><input type="radio" name="{qid}" value="{value}"> {cja}<span class="en">{cen}</span></label>'
            for value, cja, cen in choices
        )
        parts.append(f'<fieldset><legend>{ja}<br><span class="en">{en}</span></legend>{options}</fieldset>')
    return "".join(parts)


def _page(title_ja: str, title_en: str, script: str) -> bytes:
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{title_ja}</title><link rel="stylesheet" href="style.css"></head><body>'
        f'<h1>{title_ja}</h1><p class="en">{title_en}</p>'
        '<p>2問に答えて「送信」を押してください。<span class="en">Answer both questions, then Send.</span></p>'
        f'<form id="quiz">{_questions_html()}<button type="submit">送信 / Send</button></form>'
        f'<p id="result" role="status"></p><script src="{script}"></script></body></html>'
    ).encode()


_ANSWERS_JS = "var RIGHT = {" + ", ".join(f'"{q[0]}": "{q[4]}"' for q in QUESTIONS) + "};\n"

SCO_JS = (
    _ANSWERS_JS
    + """
(function () {
  function findAPI(w) { var n = 0; while (w && !w.API && w.parent && w.parent !== w && n++ < 10) { w = w.parent; }
    return w ? w.API : null; }
  var api = findAPI(window), started = Date.now(), form = document.getElementById("quiz");
  var out = document.getElementById("result");
  if (!api) { out.textContent = "LMSが見つかりません / No LMS found"; return; }
  api.LMSInitialize("");
  var saved = {};
  try { saved = JSON.parse(api.LMSGetValue("cmi.suspend_data") || "{}"); } catch (e) { saved = {}; }
  Object.keys(saved).forEach(function (q) {
    var input = form.querySelector('input[name="' + q + '"][value="' + saved[q] + '"]');
    if (input) { input.checked = true; }
  });
  if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") { api.LMSSetValue("cmi.core.lesson_status", "incomplete"); }
  function hhmmss() {
    var s = Math.max(1, Math.round((Date.now() - started) / 1000));
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(Math.floor(s / 3600)) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
  }
  form.addEventListener("change", function () {
    var answers = {};
    Object.keys(RIGHT).forEach(function (q) { var c = form.querySelector('input[name="' + q + '"]:checked'); if (c) { answers[q] = c.value; } });
    api.LMSSetValue("cmi.suspend_data", JSON.stringify(answers));
    api.LMSSetValue("cmi.core.exit", "suspend");
    api.LMSSetValue("cmi.core.session_time", hhmmss());
    api.LMSCommit("");
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var right = 0, i = 0;
    Object.keys(RIGHT).forEach(function (q) {
      var c = form.querySelector('input[name="' + q + '"]:checked'), value = c ? c.value : "";
      api.LMSSetValue("cmi.interactions." + i + ".id", q);
      api.LMSSetValue("cmi.interactions." + i + ".type", "choice");
      api.LMSSetValue("cmi.interactions." + i + ".student_response", value);
      api.LMSSetValue("cmi.interactions." + i + ".correct_responses.0.pattern", RIGHT[q]);
      api.LMSSetValue("cmi.interactions." + i + ".result", value === RIGHT[q] ? "correct" : "wrong");
      if (value === RIGHT[q]) { right += 1; }
      i += 1;
    });
    var score = Math.round(100 * right / i);
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.score.raw", String(score));
    api.LMSSetValue("cmi.core.lesson_status", "completed");  // the LMS judges it against the mastery score
    api.LMSSetValue("cmi.core.exit", "");
    api.LMSSetValue("cmi.core.session_time", hhmmss());
    api.LMSCommit("");
    api.LMSFinish("");
    out.textContent = "得点 " + score + " 点 / Score " + score;
  });
})();
"""
)

AU_JS = (
    _ANSWERS_JS
    + """
(function () {
  var q = new URLSearchParams(location.search), form = document.getElementById("quiz");
  var out = document.getElementById("result");
  var endpoint = q.get("endpoint"), actor = JSON.parse(q.get("actor") || "null");
  var registration = q.get("registration"), activityId = q.get("activityId"), started = Date.now();
  var auth = null, launch = null;
  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  function headers() {
    return {"Authorization": "Basic " + auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"};
  }
  function duration() { return "PT" + Math.max(1, Math.round((Date.now() - started) / 1000)) + "S"; }
  function statement(verb, result, categories, object) {
    var ctx = JSON.parse(JSON.stringify(launch.contextTemplate));
    ctx.registration = registration;
    ctx.contextActivities = ctx.contextActivities || {};
    if (categories.length) { ctx.contextActivities.category = categories.map(function (id) { return {"id": id}; }); }
    var st = {"id": crypto.randomUUID(), "actor": actor, "verb": {"id": ADL + verb},
              "object": object || {"id": activityId, "objectType": "Activity"}, "context": ctx,
              "timestamp": new Date().toISOString()};
    if (result) { st.result = result; }
    return st;
  }
  function send(statements) {
    return fetch(endpoint + "statements", {method: "POST", headers: headers(), body: JSON.stringify(statements)})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } });
  }
  if (!q.get("fetch")) { out.textContent = "レッスンの画面から開いてください / Open it from the lesson page"; return; }
  fetch(q.get("fetch"), {method: "POST"}).then(function (r) { return r.json(); }).then(function (body) {
    auth = body["auth-token"];
    if (!auth) { throw new Error("fetch"); }
    var url = endpoint + "activities/state?" + new URLSearchParams({"activityId": activityId,
      "agent": JSON.stringify(actor), "registration": registration, "stateId": "LMS.LaunchData"});
    return fetch(url, {headers: headers()});
  }).then(function (r) { return r.json(); }).then(function (data) {
    launch = data;
    return send([statement("initialized", null, [CMI5])]);
  }).then(function () {
    out.textContent = "準備ができました / Ready";
  }).catch(function (e) { out.textContent = "接続できません / Cannot connect (" + e.message + ")"; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!launch) { return; }
    var right = 0, answered = [];
    Object.keys(RIGHT).forEach(function (k) {
      var c = form.querySelector('input[name="' + k + '"]:checked'), value = c ? c.value : "";
      if (value === RIGHT[k]) { right += 1; }
      answered.push(statement("answered", {"response": value, "success": value === RIGHT[k]}, [], {
        "id": activityId + "/" + k, "objectType": "Activity", "definition": {
          "type": "http://adlnet.gov/expapi/activities/cmi.interaction", "name": {"ja-JP": k},
          "interactionType": "choice", "correctResponsesPattern": [RIGHT[k]]}}));
    });
    var scaled = right / Object.keys(RIGHT).length, mastery = launch.masteryScore;
    var passed = mastery === undefined || mastery === null || scaled >= mastery;
    var judged = statement(passed ? "passed" : "failed",
      {"success": passed, "score": {"scaled": scaled}, "duration": duration()}, [CMI5, MOVEON]);
    send(answered.concat([
      statement("completed", {"completion": true, "duration": duration()}, [CMI5, MOVEON]),
      judged,
      statement("terminated", {"duration": duration()}, [CMI5])
    ])).then(function () {
      out.textContent = "得点 " + Math.round(100 * scaled) + " 点 / Score " + Math.round(100 * scaled);
      if (launch.returnURL) { setTimeout(function () { location.href = launch.returnURL; }, 1500); }
    }).catch(function (e) { out.textContent = "送信できません / Not sent (" + e.message + ")"; });
  });
})();
"""
)

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="kizuna-demo-value-first" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>価格の前に価値を (SCORM 1.2)</title>
    <item identifier="value-first" identifierref="sco"><title>価格の前に価値を / Value before price</title>
      <adlcp:masteryscore>50</adlcp:masteryscore></item>
  </organization></organizations>
  <resources><resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="sco/index.html">
    <file href="sco/index.html"/><file href="sco/sco.js"/><file href="sco/style.css"/></resource></resources>
</manifest>"""

CMI5_XML = """<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://kizuna.example/demo/cmi5/objections">
    <title><langstring lang="ja-JP">反論への応え方 (cmi5)</langstring>
      <langstring lang="en-US">Answering objections (cmi5)</langstring></title>
    <description><langstring lang="ja-JP">2問の確認で、価値の伝え方を振り返ります。</langstring>
      <langstring lang="en-US">Two questions on showing value.</langstring></description>
  </course>
  <au id="https://kizuna.example/demo/cmi5/objections/au/1" moveOn="CompletedAndPassed" masteryScore="0.5">
    <title><langstring lang="ja-JP">高いと言われたら</langstring><langstring lang="en-US">“That's expensive”</langstring></title>
    <description><langstring lang="ja-JP">確認問題2問</langstring><langstring lang="en-US">Two questions</langstring></description>
    <url>au/index.html</url>
  </au>
</courseStructure>"""


def _zip(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def scorm_demo_zip() -> io.BytesIO:
    """The demo's SCORM 1.2 package: one SCO of two questions, mastery score 50."""
    return _zip(
        {
            "imsmanifest.xml": MANIFEST.encode(),
            "sco/index.html": _page("価格の前に価値を", "Value before price", "sco.js"),
            "sco/sco.js": SCO_JS.encode(),
            "sco/style.css": STYLE.encode(),
        }
    )


def cmi5_demo_zip() -> io.BytesIO:
    """The demo's cmi5 course package: one AU of two questions, masteryScore 0.5, moveOn CompletedAndPassed."""
    return _zip(
        {
            "cmi5.xml": CMI5_XML.encode(),
            "au/index.html": _page("高いと言われたら", "“That's expensive”", "au.js"),
            "au/au.js": AU_JS.encode(),
            "au/style.css": STYLE.encode(),
        }
    )


def seed_packages(*, now: datetime) -> None:
    """Import both into one course, publish it and assign it (optional) to every agency; once."""
    if draft_courses().filter(slug=SLUG).exists():
        return
    users = get_user_model().objects
    author, admin = users.get(email=AUTHOR), users.get(email=ADMIN)
    course = catalog.course_create(
        author=author,
        title="取り込んだ教材: SCORM と cmi5",
        slug=SLUG,
        summary="教材作成ツールで作った教材(SCORM 1.2 と cmi5)も、ほかのレッスンと同じように学習として記録されます。",
    )
    catalog.module_create(course=course, title="価値を伝える")
    package_lesson_import(upload=scorm_demo_zip(), course=course, author=author)
    cmi5_lesson_import(upload=cmi5_demo_zip(), course=course, author=author)
    catalog.course_publish(course=course, publisher=author, when=now - timedelta(days=3))
    for partner in (org for org in organizations_all() if not org.is_principal):
        catalog.assignment_create(
            course=course, assigned_by=admin, required=False, partner=partner, when=now - timedelta(days=3)
        )
