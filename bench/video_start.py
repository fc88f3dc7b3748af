"""Time to first frame of a lesson video on a throttled 3G link: HLS (hls.js, smallest rendition first) vs the MP4.

The video is made by the app's own pipeline: a 30 s 1280x720 camera-like clip (moving test pattern with grain)
goes through the transcode command (`kizuna/media/services.py`, the single MP4) and the HLS packaging command
(`kizuna/media/hls.py`, 360p/540p/720p fMP4, once with 4 s and once with 2 s segments). A small HTTP server on 127.0.0.1 (byte ranges,
gzip for scripts as the app's static files are compressed) serves both; Debian's Chromium opens a page per
case with CDP's Network.emulateNetworkConditions (default 1.6 Mbit/s down, 768 kbit/s up, 150 ms RTT) and the
cache off, and the page plays the video muted, as soon as it can.

Per run, how much of the 15 s after the first frame actually played (a stream faster than the link stalls),
and two times, from the page's navigation start to the first decoded frame (requestVideoFrameCallback):
  * "first visit": the page, then hls.js (gzip) for HLS, then the video;
  * "from load": from the moment the page hands the video its source (after hls.js is loaded for HLS, as on
    every visit after the first, when hls.js is in the browser's cache) to the first frame.
The case "app" is the lesson page's own first visit: the app's media/stream.js on a <video> as the lesson page
writes it (phone MP4 as src, data-hls, data-hlsjs), on a phone that never fetched hls.js, played at once. It plays
the phone MP4 (the 360p rendition copied into one MP4 by the app's own command) and fetches hls.js only after the
first frame; "hlsjs_before_frame" says whether hls.js was requested before the first frame (it must not be).

    .venv/bin/python bench/video_start.py [--runs 3] [--down-kbps 1600] [--rtt-ms 150] [--seconds 30]
        [--cases app,hls2,hls4,mp4]

Writes bench/results/video-start-<time>.json and bench/results/video-start-latest.json.
"""

import argparse
import contextlib
import gzip
import http.server
import json
import os
import re
import shutil
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
HLSJS = ROOT / "kizuna" / "media" / "static" / "media" / "vendor" / "hls.js" / "hls.light.min.js"
STREAM_JS = ROOT / "kizuna" / "media" / "static" / "media" / "stream.js"
CHROMIUM = "/usr/bin/chromium"
SEGMENTS = (4, 2)  # segment lengths compared: the usual 4 s and the pipeline's 2 s (hls.SEGMENT_SECONDS)

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>{case}</title>{head}</head><body>
<video id="v" muted playsinline controls width="375"></video>
<script>
window.result = null;
var v = document.getElementById("v");
function first() {{
  var found = {{ first_frame_ms: performance.now(), source_at_ms: window.sourceAt }};
  var from = v.currentTime;
  // How much of the next 15 s really played: a stream faster than the link stops to buffer.
  setTimeout(function () {{ found.played_in_15s = v.currentTime - from; window.result = found; }}, 15000);
}}
if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(first); else v.addEventListener("playing", first);
v.addEventListener("error", function () {{ window.result = {{ error: String(v.error && v.error.message) }}; }});
{script}
</script></body></html>"""

MP4_SCRIPT = 'window.sourceAt = performance.now(); v.src = "video.mp4"; v.play();'
# The lesson page's first visit: its <video> as records/_video_player.html writes it, and the app's stream.js.
APP_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>app</title></head><body>
<video id="v" muted playsinline controls width="375" preload="none" src="phone.mp4"
  data-hls="hls2/master.m3u8" data-hlsjs="hls.light.min.js"></video>
<script src="stream.js"></script>
<script>
window.result = null;
var v = document.getElementById("v");
function first() {
  var found = { first_frame_ms: performance.now(), source_at_ms: window.sourceAt, engine: v.dataset.engine,
    hlsjs_before_frame: performance.getEntriesByType("resource").some(function (e) {
      return e.name.indexOf("hls.light.min.js") >= 0; }) };
  var from = v.currentTime;
  setTimeout(function () { found.played_in_15s = v.currentTime - from; window.result = found; }, 15000);
}
if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(first); else v.addEventListener("playing", first);
v.addEventListener("error", function () { window.result = { error: String(v.error && v.error.message) }; });
window.sourceAt = performance.now(); v.play();
</script></body></html>"""

HLS_SCRIPT = """
var s = document.createElement("script"); s.src = "hls.light.min.js";
s.onload = function () {
  window.sourceAt = performance.now();
  var hls = new Hls({ enableWorker: false, startLevel: 0, capLevelToPlayerSize: true });
  hls.loadSource("{folder}/master.m3u8"); hls.attachMedia(v); v.play();
};
document.head.appendChild(s);"""


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with one byte range at a time, and gzip for JavaScript (as whitenoise sends it)."""

    def log_message(self, *args: Any) -> None:
        pass

    def handle_one_request(self) -> None:
        # The browser closes connections it no longer needs (media requests it cancels).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle_one_request()

    def do_GET(self) -> None:  # noqa: N802
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        kind = {
            ".html": "text/html", ".js": "text/javascript", ".mp4": "video/mp4",
            ".m3u8": "application/vnd.apple.mpegurl", ".m4s": "video/iso.segment",
        }.get(path.suffix, "application/octet-stream")  # fmt: skip
        status, headers = 200, {"Content-Type": kind, "Accept-Ranges": "bytes", "Cache-Control": "no-store"}
        match = re.match(r"bytes=(\d+)-(\d*)$", self.headers.get("Range", ""))
        if match:
            first = int(match.group(1))
            last = int(match.group(2)) if match.group(2) else len(data) - 1
            last = min(last, len(data) - 1)
            headers["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
            data, status = data[first : last + 1], 206
        elif kind == "text/javascript" and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data, 6)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(data))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def make_media(folder: Path, seconds: int) -> dict[str, Any]:
    """Make the clip, then the app's MP4 and HLS from it with the app's own ffmpeg commands."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    import django

    django.setup()
    from kizuna.media.hls import _package_command, _phone_command, hls_ladder
    from kizuna.media.services import _transcode_command

    source = folder / "camera.mp4"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
         "-f", "lavfi", "-i", "sine=frequency=330", "-t", str(seconds), "-vf", "noise=alls=8:allf=t",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", str(source)],
        check=True,
    )  # fmt: skip
    subprocess.run(_transcode_command(source, folder / "video.mp4", has_audio=True), check=True)
    ladder = hls_ladder(1280, 720)
    first_segment = {}
    for length in SEGMENTS:
        out = folder / f"hls{length}"
        for rendition in ladder:
            (out / rendition.name).mkdir(parents=True)
        subprocess.run(_package_command(folder / "video.mp4", out, ladder, segment_seconds=length), check=True)
        first_segment[f"hls{length}"] = sum(p.stat().st_size for p in (out / ladder[0].name).glob("*0000.m4s"))
    shutil.copy(HLSJS, folder / "hls.light.min.js")
    shutil.copy(STREAM_JS, folder / "stream.js")
    subprocess.run(_phone_command(folder / "hls2" / ladder[0].name / "index.m3u8", folder / "phone.mp4"), check=True)
    mp4 = (folder / "video.mp4").stat().st_size
    return {
        "seconds": seconds,
        "mp4_bytes": mp4,
        "mp4_kbps": round(mp4 * 8 / seconds / 1000),
        "renditions": [r.name for r in ladder],
        "phone_mp4_bytes": (folder / "phone.mp4").stat().st_size,
        "first_360p_segment_bytes": first_segment,
    }


def measure(case: str, port: int, down_kbps: int, rtt_ms: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from kizuna.tests.browser_support import CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": rtt_ms,
                "downloadThroughput": down_kbps * 1000 / 8,
                "uploadThroughput": 768 * 1000 / 8,
            },
        )
        page.goto(f"http://127.0.0.1:{port}/{case}.html", wait_until="commit")
        deadline = time.monotonic() + 90
        result = None
        while result is None and time.monotonic() < deadline:
            page.wait_for_timeout(50)
            result = page.evaluate("window.result")
        browser.close()
    if not result or "error" in result:
        return {"error": (result or {}).get("error", "no frame within 75 s")}
    found = {
        "first_visit_s": round(result["first_frame_ms"] / 1000, 3),
        "from_load_s": round((result["first_frame_ms"] - result["source_at_ms"]) / 1000, 3),
        "played_in_15s": round(result["played_in_15s"], 2),
    }
    found.update({key: result[key] for key in ("engine", "hlsjs_before_frame") if key in result})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--down-kbps", type=int, default=1600)
    parser.add_argument("--rtt-ms", type=int, default=150)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--cases", default="app,hls4,hls2,mp4", help="comma-separated: app, hls4, hls2, mp4")
    args = parser.parse_args()
    if not HLSJS.exists():
        sys.exit("hls.js is not vendored yet: run `make vendor`")
    with tempfile.TemporaryDirectory(prefix="video-start-") as tmp:
        folder = Path(tmp)
        media = make_media(folder, args.seconds)
        (folder / "mp4.html").write_text(PAGE.format(case="mp4", head="", script=MP4_SCRIPT))
        (folder / "app.html").write_text(APP_PAGE)
        known = ["app", *(f"hls{length}" for length in SEGMENTS), "mp4"]
        cases = [case for case in args.cases.split(",") if case in known]
        for length in SEGMENTS:
            script = HLS_SCRIPT.replace("{folder}", f"hls{length}")
            (folder / f"hls{length}.html").write_text(PAGE.format(case=f"hls{length}", head="", script=script))

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        server = Server(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        runs: dict[str, list[dict[str, Any]]] = {case: [] for case in cases}
        try:
            for _ in range(args.runs):
                for case in cases:
                    runs[case].append(measure(case, port, args.down_kbps, args.rtt_ms))
        finally:
            server.shutdown()

    summary: dict[str, Any] = {}
    for case, found in runs.items():
        ok = [r for r in found if "error" not in r]
        summary[case] = {
            "median_first_visit_s": statistics.median(r["first_visit_s"] for r in ok) if ok else None,
            "median_from_load_s": statistics.median(r["from_load_s"] for r in ok) if ok else None,
            "median_played_in_15s": statistics.median(r["played_in_15s"] for r in ok) if ok else None,
            "errors": [r["error"] for r in found if "error" in r],
        }
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "network": {"down_kbps": args.down_kbps, "up_kbps": 768, "rtt_ms": args.rtt_ms},
        "media": media,
        "runs": runs,
        "summary": summary,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    (RESULTS / f"video-start-{report['when'].replace(':', '')}.json").write_text(text)
    (RESULTS / "video-start-latest.json").write_text(text)
    print(json.dumps({"network": report["network"], "media": media, "summary": summary}, indent=2))


if __name__ == "__main__":
    main()
