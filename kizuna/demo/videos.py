"""Short lesson videos made on the spot for the demo: a spoken narration and a simple picture.

Nothing binary is committed: each video is made at seed time from its script.
espeak-ng reads the narration (written in kana, because its Japanese voice cannot
read kanji), and ffmpeg draws the picture — the brand colour, the title and a few
lines that appear one by one while the narration plays, with a thin bar at the
bottom that fills up as the video goes on. The video lasts as long as the narration.
"""

import shutil
import subprocess
import unicodedata
import wave
from dataclasses import dataclass
from pathlib import Path

BRAND_COLOUR = "0x1d4e89"
ACCENT_COLOUR = "0xf2a541"
WIDTH, HEIGHT = 640, 360
FPS = 10  # a picture that barely moves: few frames keep both the making and the transcode fast
SPEECH_SPEED = 150  # words per minute; espeak-ng's default (175) is hurried in Japanese
TAIL_SECONDS = 0.8  # a moment of silence after the last word
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
)
HEADER = "絆ソフト株式会社 ｜ クラウド勤怠 KIZUNA"
FOOTER = "パートナー研修用"
MARGIN = 40
TITLE_SIZE, TITLE_GAP = 30, 10
LINE_SIZE, LINE_GAP = 22, 14
COMMAND_TIMEOUT = 300


class DemoVideoError(Exception):
    """A demo video could not be made (a missing tool or font, or a tool that failed)."""


@dataclass(frozen=True)
class VideoScript:
    """One demo video: what is shown and what is said."""

    title: str  # drawn large at the top; also the stored video's title
    lines: tuple[str, ...]  # drawn one by one while the narration plays
    narration: str  # what espeak-ng says, in kana (particles written as said: は→わ, へ→え)
    transcript: str  # the same words in ordinary Japanese, shown under the video and in --no-video mode


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DemoVideoError(f"{name} is not installed; install it (make run does) or seed with --no-video")
    return path


def font_path() -> str:
    """Return the IPA Gothic font file, found at its Debian path or through fontconfig."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    fc_match = shutil.which("fc-match")
    if fc_match:
        done = subprocess.run(
            [fc_match, "-f", "%{file}", "IPAGothic:lang=ja"], capture_output=True, text=True, check=False, timeout=30
        )
        found = done.stdout.strip()
        if done.returncode == 0 and "ipa" in found.lower() and Path(found).is_file():
            return found
    raise DemoVideoError("The IPA Gothic font is missing; install fonts-ipafont-gothic (make run does)")


def text_width(text: str) -> int:
    """Return the width of a line in half-width units (a kanji or kana counts as two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, *, width: int) -> list[str]:
    """Break a line so that each piece is at most `width` half-width units, preferring to break after 、。」."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if text_width(current + ch) > width:
            cut = max(current.rfind(p) for p in "、。」 ") + 1
            if 0 < cut < len(current):
                lines.append(current[:cut].rstrip())
                current = current[cut:].lstrip()
            else:
                lines.append(current)
                current = ""
        current += ch
    if current:
        lines.append(current)
    return lines


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, capture_output=True, check=True, timeout=COMMAND_TIMEOUT)
    except subprocess.CalledProcessError as error:
        tail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-3:]
        raise DemoVideoError(f"{Path(command[0]).name} failed: {' / '.join(tail)}") from None
    except subprocess.TimeoutExpired:
        raise DemoVideoError(f"{Path(command[0]).name} took longer than {COMMAND_TIMEOUT} seconds") from None


def narration_render(*, text: str, target: Path) -> float:
    """Speak the kana text into a WAV file with espeak-ng's Japanese voice; return its length in seconds."""
    script = target.with_suffix(".txt")
    script.write_text(text, encoding="utf-8")
    _run([_tool("espeak-ng"), "-v", "ja", "-s", str(SPEECH_SPEED), "-f", str(script), "-w", str(target)])
    with wave.open(str(target), "rb") as audio:
        return audio.getnframes() / float(audio.getframerate())


def _quote(value: str) -> str:
    """Quote a value for an ffmpeg filter graph (paths here never contain quotes)."""
    return "'" + value.replace("\\", "/").replace("'", "") + "'"


def _drawtext(*, textfile: Path, font: str, size: int, x: int, y: int, colour: str, start: float = 0.0) -> str:
    options = [
        f"fontfile={_quote(font)}",
        f"textfile={_quote(str(textfile))}",
        f"fontsize={size}",
        f"fontcolor={colour}",
        f"x={x}",
        f"y={y}",
        f"line_spacing={TITLE_GAP}",
    ]
    if start > 0:
        options.append(f"enable='gte(t\\,{start:.2f})'")
    return "drawtext=" + ":".join(options)


def picture_filters(*, script: VideoScript, workdir: Path, duration: float, font: str) -> str:
    """Return the filter graph that draws the picture over the brand-coloured background (input 0)."""
    text_columns = (WIDTH - 2 * MARGIN) // (TITLE_SIZE // 2)
    title_lines = wrap(script.title, width=text_columns)
    files: dict[str, str] = {"header": HEADER, "footer": FOOTER, "title": "\n".join(title_lines)}
    filters = [
        _drawtext(textfile=workdir / "header.txt", font=font, size=15, x=MARGIN, y=22, colour="white@0.75"),
        _drawtext(textfile=workdir / "title.txt", font=font, size=TITLE_SIZE, x=MARGIN, y=62, colour="white"),
    ]
    y = 62 + len(title_lines) * (TITLE_SIZE + TITLE_GAP) + 6
    filters.append(f"drawbox=x={MARGIN}:y={y}:w=64:h=4:color={ACCENT_COLOUR}:t=fill")
    y += 26
    line_columns = (WIDTH - 2 * MARGIN) // (LINE_SIZE // 2) - 2
    # Each line appears as the narration reaches its share of the video.
    step = max(duration - 1.0, 1.0) / max(len(script.lines), 1)
    for index, line in enumerate(script.lines):
        name = f"line{index}"
        pieces = wrap(line, width=line_columns)
        files[name] = "・" + "\n　".join(pieces)
        filters.append(
            _drawtext(
                textfile=workdir / f"{name}.txt",
                font=font,
                size=LINE_SIZE,
                x=MARGIN,
                y=y,
                colour="0xe8eef6",
                start=0.6 + index * step,
            )
        )
        y += len(pieces) * (LINE_SIZE + TITLE_GAP) + LINE_GAP
    filters.append(
        _drawtext(
            textfile=workdir / "footer.txt",
            font=font,
            size=13,
            x=WIDTH - MARGIN - 7 * 13,
            y=HEIGHT - 30,
            colour="white@0.6",
        )
    )
    for name, text in files.items():
        (workdir / f"{name}.txt").write_text(text, encoding="utf-8")
    return (
        "[0:v]" + ",".join(filters) + "[bg];"
        f"[bg][1:v]overlay=x='-w+w*t/{duration:.3f}':y=H-h:shortest=1[v];"
        "[2:a]apad[a]"
    )


def video_render(*, script: VideoScript, workdir: Path) -> tuple[Path, float]:
    """Make one demo video (MP4, H.264/AAC) in workdir; return its path and length in seconds."""
    workdir.mkdir(parents=True, exist_ok=True)
    font = font_path()
    ffmpeg = _tool("ffmpeg")
    wav = workdir / "narration.wav"
    duration = round(narration_render(text=script.narration, target=wav) + TAIL_SECONDS, 2)
    graph = picture_filters(script=script, workdir=workdir, duration=duration, font=font)
    target = workdir / "video.mp4"
    _run(
        [
            ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"color=c={BRAND_COLOUR}:s={WIDTH}x{HEIGHT}:r={FPS}:d={duration}",
            "-f", "lavfi", "-i", f"color=c={ACCENT_COLOUR}:s={WIDTH}x4:r={FPS}:d={duration}",
            "-i", str(wav),
            "-filter_complex", graph,
            "-map", "[v]", "-map", "[a]", "-t", f"{duration}",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "96k", "-ar", "48000",
            "-movflags", "+faststart",
            str(target),
        ]
    )  # fmt: skip
    return target, duration
