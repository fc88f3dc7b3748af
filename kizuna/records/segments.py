"""Played segments of a video, in the xAPI Video Profile's "0[.]12.5[,]30[.]45" notation."""

Segment = tuple[float, float]


def parse_segments(text: str) -> list[Segment]:
    """Parse the profile's notation; raise ValueError on anything malformed."""
    segments: list[Segment] = []
    if not text:
        return segments
    for part in text.split("[,]"):
        start_s, sep, end_s = part.partition("[.]")
        if not sep:
            raise ValueError(f"bad segment {part!r}")
        start, end = float(start_s), float(end_s)
        if not (start >= 0 and end >= start):  # also rejects NaN
            raise ValueError(f"bad segment {part!r}")
        segments.append((start, end))
    return segments


def format_segments(segments: list[Segment]) -> str:
    return "[,]".join(f"{s:g}[.]{e:g}" for s, e in segments)


def merge_segments(segments: list[Segment], *, gap: float = 0.5) -> list[Segment]:
    """Return the union of the segments, joining those closer than `gap` seconds."""
    merged: list[list[float]] = []
    for start, end in sorted(segments):
        if merged and start <= merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def covered_seconds(segments: list[Segment], *, length: float) -> float:
    """Return how many seconds of [0, length] the (merged) segments cover."""
    return sum(max(0.0, min(e, length) - max(s, 0.0)) for s, e in segments)
