"""The simulation: statements in timestamp order, a day at a time, with each rep's projections kept alongside."""

from __future__ import annotations

import json
import random
import sys
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .common import (
    DAY,
    HOUR,
    MINUTE,
    SECOND,
    CourseInfo,
    CourseState,
    LessonInfo,
    LessonState,
    Rep,
    Size,
    local_midnight,
    log,
    to_dt,
)
from .world import PlannedAssignment

HOUR_WEIGHTS = [0, 0, 0, 0, 0, 0, 0, 4, 6, 2, 1, 1, 6, 3, 1, 1, 1, 3, 5, 4, 4, 5, 3, 1]


class Simulation:
    """Generate the statements day by day; keep each rep's projections as the app would compute them."""

    def __init__(
        self,
        *,
        seed: int,
        world: dict[str, Any],
        planned: list[PlannedAssignment],
        size: Size,
        window_start_us: int,
        tz: ZoneInfo,
    ) -> None:
        from django.conf import settings

        from kizuna.records import projections, segments, vocab
        from kizuna.records import services as records

        self.rng = random.Random(f"{seed}-statements")
        self.world = world
        self.size = size
        self.window_start_us = window_start_us
        self.tz = tz
        self.vocab = vocab
        self.segments = segments
        self.counted_cap = projections.counted_cap
        self.format_duration = records.format_duration
        self.parse_duration = records.parse_duration
        self.default_language = settings.LANGUAGE_CODE
        self.verb_launched = vocab.LAUNCHED.iri
        self.verb_progressed = vocab.PROGRESSED.iri
        self.verb_completed = vocab.COMPLETED.iri
        self.verb_initialized = vocab.INITIALIZED.iri
        self.verb_played = vocab.VIDEO_PLAYED.iri
        self.verb_paused = vocab.VIDEO_PAUSED.iri
        self.verb_terminated = vocab.TERMINATED.iri
        self.type_video = vocab.TYPE_VIDEO.iri
        self.ext_partner = vocab.EXT_PARTNER.iri
        self.ext_version = vocab.EXT_COURSE_VERSION.iri
        self.context_cache: dict[tuple[Any, ...], str] = {}
        self.reps: list[Rep] = world["reps"]
        self.cum_weights: list[float] = []
        total = 0.0
        for rep in self.reps:
            total += rep.weight
            self.cum_weights.append(total)
        self.assigned_events = self._assigned_events(planned)
        self.total = size.statements
        self.remaining = size.statements - len(self.assigned_events)
        if self.remaining < 0:
            sys.exit("--statements is smaller than the number of assignment statements")
        self.day: list[tuple[Any, ...]] = []
        self.learner_budget = self.remaining

    # Context and rows ------------------------------------------------------------------------

    def _context(
        self,
        parents: tuple[str, ...],
        language: str,
        partner_id: int | None,
        version_id: int | None,
        extra: dict[str, Any] | None = None,
        video: bool = False,
    ) -> str:
        """The context as records.services.statement_record stores it: no null, no empty parent or extensions."""
        key = (parents, language, partner_id, version_id, video) if extra is None else None
        if key is not None and key in self.context_cache:
            return self.context_cache[key]
        extensions = {k: v for k, v in (extra or {}).items() if v is not None}
        if partner_id:
            extensions[self.ext_partner] = partner_id
        if version_id:
            extensions[self.ext_version] = version_id
        activities: dict[str, Any] = {}
        if parents:
            activities["parent"] = [{"id": iri} for iri in parents]
        if video:  # the xAPI Video Profile's category
            activities["category"] = [
                {
                    "objectType": "Activity",
                    "id": self.vocab.VIDEO_PROFILE,
                    "definition": {"type": self.vocab.TYPE_PROFILE.iri},
                }
            ]
        context: dict[str, Any] = {}
        if activities:
            context["contextActivities"] = activities
        context.update(platform="Kizuna", language=language or self.default_language)
        if extensions:
            context["extensions"] = extensions
        text = json.dumps(context, ensure_ascii=False)
        if key is not None:
            self.context_cache[key] = text
        return text

    def _assigned_events(self, planned: list[PlannedAssignment]) -> list[tuple[Any, ...]]:
        """The statements assignment_create records, one per assignment."""
        vocab = self.vocab
        events = []
        for a in planned:
            partner = self.world["partners"][a.partner_index]
            actor = partner["manager"] if a.team else self.world["staff"]["admin"]
            actor_partner = partner["org"].pk if a.team else None
            target = {"type": "team" if a.team else "partner", "id": a.team.pk if a.team else partner["org"].pk}
            extra = {
                vocab.EXT_ASSIGNEE.iri: target,
                vocab.EXT_REQUIRED.iri: a.required,
                vocab.EXT_DUE.iri: to_dt(a.due_us).astimezone(self.tz).isoformat() if a.due_us else None,
                vocab.EXT_PARTNER.iri: partner["org"].pk,
            }
            iri, type_iri, name, _course, _version, _lesson = a.course.base
            context = self._context((), actor.language, actor_partner, None, extra)
            events.append(
                (
                    a.at_us,
                    actor.pk,
                    actor_partner,
                    vocab.ASSIGNED.iri,
                    (iri, type_iri, name, None, None, None),
                    None,
                    context,
                    None,
                )
            )
        events.sort(key=lambda e: e[0])
        return events

    def _emit(
        self,
        ts: int,
        rep: Rep,
        verb: str,
        base: tuple[Any, ...],
        parents: tuple[str, ...],
        version_id: int,
        result: str | None,
        duration: float | None,
        video_context: dict[str, Any] | None = None,
    ) -> None:
        video = video_context is not None
        context = self._context(parents, rep.language, rep.partner_id, version_id, video_context, video=video)
        self.day.append((ts, rep.user_id, rep.partner_id, verb, base, result, context, duration))
        self.remaining -= 1

    # Projections: the same rules as kizuna.records.projections -------------------------------

    def _course_state(self, rep: Rep, course: CourseInfo, ts: int) -> CourseState:
        cs = rep.courses.get(course.id)
        if cs is None:
            cs = CourseState(ts, course.version_id, rep.partner_id, course.lesson_count)
            rep.courses[course.id] = cs
        return cs

    def _apply(
        self,
        rep: Rep,
        course: CourseInfo,
        lesson: LessonInfo | None,
        ts: int,
        verb: str,
        duration: float | None,
        segments_text: str | None = None,
        length: float = 0.0,
        position: float | None = None,
    ) -> bool:
        counted = min(max(duration or 0.0, 0.0), self.counted_cap(verb))
        newly = False
        cs = self._course_state(rep, course, ts)
        if lesson is not None:
            ls = cs.lessons.get(lesson.id)
            if ls is None:
                ls = cs.lessons[lesson.id] = LessonState(ts)
            ls.started = min(ls.started, ts)
            ls.last = max(ls.last, ts)
            ls.time += counted
            if segments_text is not None:
                seg = self.segments
                merged = seg.merge_segments([tuple(s) for s in ls.segments] + seg.parse_segments(segments_text))
                ls.segments = [[round(s, 3), round(e, 3)] for s, e in merged]
                if length > 0:
                    ls.progress = round(min(1.0, seg.covered_seconds(merged, length=length) / length), 4)
            if position is not None:
                ls.position = float(position)
            if verb == self.verb_completed and ls.completed is None:
                ls.completed = ts
                newly = True
                if not ls.segments:
                    ls.progress = 1.0
        cs.started = min(cs.started, ts)
        cs.last = max(cs.last, ts)
        cs.time += counted
        if lesson is not None:
            cs.last_lesson = lesson.id
            if newly and lesson.version_id == cs.version_id:
                cs.done += 1
        elif verb == self.verb_completed and cs.completed is None:
            cs.completed = ts
        return newly

    # A rep's events ------------------------------------------------------------------------

    def _launch(self, rep: Rep, course: CourseInfo, lesson: LessonInfo, ts: int) -> None:
        self._emit(ts, rep, self.verb_launched, lesson.base, lesson.parents, lesson.version_id, None, None)
        self._apply(rep, course, lesson, ts, self.verb_launched, None)

    def _read(self, rep: Rep, course: CourseInfo, lesson: LessonInfo, ts: int, seconds: float) -> None:
        text = self.format_duration(seconds)
        duration = self.parse_duration(text)
        self._emit(
            ts,
            rep,
            self.verb_progressed,
            lesson.base,
            lesson.parents,
            lesson.version_id,
            '{"duration": "' + text + '"}',
            duration,
        )
        self._apply(rep, course, lesson, ts, self.verb_progressed, duration)

    def _video(
        self,
        rep: Rep,
        course: CourseInfo,
        lesson: LessonInfo,
        ts: int,
        verb: str,
        session_id: str,
        *,
        time: float | None = None,
        segments: list[tuple[float, float]] | None = None,
        seconds: float | None = None,
    ) -> None:
        """One statement of the player, shaped as records.services.video_statement_record stores it."""
        vocab, seg = self.vocab, self.segments
        length = lesson.video_length
        ls = rep.courses[course.id].lessons.get(lesson.id)
        text = None
        progress = (ls.progress if ls else 0) or 0
        if segments is not None:
            played = seg.merge_segments(segments, gap=0)
            played = [(max(0.0, s), min(length, e)) for s, e in played if s < length]
            text = seg.format_segments(played)
            earlier = [tuple(x) for x in ls.segments] if ls else []
            watched = seg.merge_segments(earlier + played)
            progress = round(min(1.0, seg.covered_seconds(watched, length=length) / length), 4)
        result_ext: dict[str, Any] = {}
        if time is not None:
            time = round(min(max(time, 0.0), length), 3)
            result_ext[vocab.EXT_TIME] = time
        if text is not None:
            result_ext[vocab.EXT_PLAYED_SEGMENTS] = text
        if verb in vocab.VIDEO_REPORT_VERBS:
            result_ext[vocab.EXT_PROGRESS] = progress
        context_ext: dict[str, Any] = {vocab.EXT_LENGTH: length}
        if verb != self.verb_played:
            context_ext[vocab.EXT_COMPLETION_THRESHOLD] = vocab.VIDEO_COMPLETION_THRESHOLD
        context_ext[vocab.EXT_SESSION_ID] = session_id
        result: dict[str, Any] = {}
        duration = None
        if seconds:
            duration_text = self.format_duration(seconds)
            duration = self.parse_duration(duration_text)
            result["duration"] = duration_text
        if result_ext:
            result["extensions"] = result_ext
        result_json = json.dumps(result) if result else None
        self._emit(ts, rep, verb, lesson.base, lesson.parents, lesson.version_id, result_json, duration, context_ext)
        self._apply(rep, course, lesson, ts, verb, duration, segments_text=text, length=length, position=time)

    def _video_completed(self, rep: Rep, course: CourseInfo, lesson: LessonInfo, ts: int, session_id: str) -> None:
        """The Video Profile's completed the server records at 90%: its duration the whole time, not counted."""
        vocab = self.vocab
        ls = rep.courses[course.id].lessons[lesson.id]
        result = {
            "completion": True,
            "duration": self.format_duration(ls.time),
            "extensions": {
                vocab.EXT_TIME: round(ls.position, 3),
                vocab.EXT_PROGRESS: ls.progress,
                vocab.EXT_PLAYED_SEGMENTS: self.segments.format_segments([(s, e) for s, e in ls.segments]),
            },
        }
        context_ext = {
            vocab.EXT_LENGTH: lesson.video_length,
            vocab.EXT_COMPLETION_THRESHOLD: vocab.VIDEO_COMPLETION_THRESHOLD,
            vocab.EXT_SESSION_ID: session_id,
        }
        self._emit(
            ts, rep, self.verb_completed, lesson.base, lesson.parents, lesson.version_id, json.dumps(result), None,
            context_ext,
        )  # fmt: skip
        self._apply(rep, course, lesson, ts, self.verb_completed, None)

    def _complete(self, rep: Rep, course: CourseInfo, lesson: LessonInfo, ts: int, session_id: str = "") -> int:
        if lesson.kind == "video":
            self._video_completed(rep, course, lesson, ts, session_id)
        else:
            self._emit(
                ts, rep, self.verb_completed, lesson.base, lesson.parents, lesson.version_id, '{"completion": true}',
                None,
            )  # fmt: skip
            self._apply(rep, course, lesson, ts, self.verb_completed, None)
        cs = rep.courses[course.id]
        if cs.completed is None and cs.total and cs.done >= cs.total and self.remaining > 0:
            ts += self.rng.randint(100, 900)
            self._emit(ts, rep, self.verb_completed, course.base, (), course.version_id, '{"completion": true}', None)
            self._apply(rep, course, None, ts, self.verb_completed, None)
        return ts

    def _next_lesson(self, rep: Rep, ts: int) -> tuple[CourseInfo, LessonInfo] | None:
        """The first unfinished lesson of the most urgent available course, preferring courses already begun."""
        fallback = None
        for planned in rep.plan:
            if planned.available_us > ts:
                continue
            cs = rep.courses.get(planned.course.id)
            if cs is not None and cs.completed is not None:
                continue
            lesson = next(
                (
                    lesson
                    for lesson in planned.course.lessons
                    if cs is None or lesson.id not in cs.lessons or cs.lessons[lesson.id].completed is None
                ),
                None,
            )
            if lesson is None:
                continue
            if cs is not None:
                return planned.course, lesson
            if fallback is None:
                fallback = (planned.course, lesson)
        return fallback

    def _lesson(self, rep: Rep, course: CourseInfo, lesson: LessonInfo, ts: int, review: bool = False) -> int:
        """Play one lesson from opening to (usually) completion; return the time it ended."""
        rng = self.rng
        ts += rng.randint(1 * SECOND, 6 * SECOND)
        self._launch(rep, course, lesson, ts)
        abandon = rng.random() < (0.5 if review else 0.08)
        if lesson.kind == "video":
            ls = rep.courses[course.id].lessons[lesson.id]
            position = 0.0 if ls.completed is not None or ls.position >= lesson.video_length - 1 else ls.position
            # As records/player.js does (xAPI Video Profile): initialized, then played and paused around each
            # piece the rep watches (paused carries the session's played segments and the time played since the
            # previous statement), completed by the server at 90%, terminated when the rep leaves.
            session_id = str(uuid.uuid4())
            start = position
            self._video(rep, course, lesson, ts, self.verb_initialized, session_id)
            watched: list[tuple[float, float]] = []
            while lesson.video_length - position >= 0.5 and self.remaining > 3:
                chunk = round(min(rng.uniform(8, 12), lesson.video_length - position), 1)
                wall = round(chunk * rng.uniform(1.0, 1.3), 1)
                self._video(rep, course, lesson, ts, self.verb_played, session_id, time=position)
                ts += int(wall * SECOND)
                end = round(position + chunk, 1)
                watched = [(start, end)]
                self._video(
                    rep, course, lesson, ts, self.verb_paused, session_id, time=end, segments=watched, seconds=wall
                )
                position = end
                if ls.completed is None and ls.progress >= self.vocab.VIDEO_COMPLETION_THRESHOLD:
                    ts += rng.randint(100, 900)
                    self._complete(rep, course, lesson, ts, session_id)
                if abandon and rng.random() < 0.5:
                    break
            if self.remaining > 0:
                ts += rng.randint(1 * SECOND, 3 * SECOND)
                self._video(rep, course, lesson, ts, self.verb_terminated, session_id, time=position, segments=watched)
            return ts
        # As records/player.js does: every 30 s the page reports the seconds the rep was active in them,
        # and once more when the page is left.
        reading = lesson.estimated_minutes * 60 * rng.uniform(0.3, 1.2) * (0.3 if review else 1.0)
        while reading >= 1 and self.remaining > 0:
            active = round(min(reading, rng.uniform(18, 30)), 1)
            reading -= active
            wall = 30.0 if reading >= 1 else active + rng.uniform(0.5, 5)
            ts += int(wall * SECOND)
            self._read(rep, course, lesson, ts, active)
            if abandon and rng.random() < 0.4:
                return ts
        if abandon or self.remaining <= 0:
            return ts
        ls = rep.courses[course.id].lessons[lesson.id]
        if ls.completed is None:
            ts = self._complete(rep, course, lesson, ts + rng.randint(1 * SECOND, 5 * SECOND))
        return ts

    def _session(self, rep: Rep, ts: int) -> int | None:
        rng = self.rng
        lessons = 1 + min(3, int(rng.expovariate(1.0)))
        did = False
        for _ in range(lessons):
            if self.remaining <= 0:
                break
            nxt = self._next_lesson(rep, ts)
            if nxt is None:
                # Nothing new to do: now and then a rep rereads something finished.
                done = [(c, cs) for c, cs in rep.courses.items() if cs.lessons]
                if did or not done or rng.random() > 0.3:
                    break
                course_id, cs = rng.choice(done)
                course = next(p.course for p in rep.plan if p.course.id == course_id)
                lesson = next((item for item in course.lessons if item.id in cs.lessons), course.lessons[0])
                ts = self._lesson(rep, course, lesson, ts, review=True)
                did = True
                break
            ts = self._lesson(rep, *nxt, ts)
            did = True
        return ts if did else None

    # Days -----------------------------------------------------------------------------------

    def _day_start(self, d: int) -> int:
        return local_midnight(self.window_start_us + d * DAY + 12 * HOUR, self.tz)

    def _day_weights(self) -> list[float]:
        weights = []
        for d in range(self.size.days):
            weekday = datetime.fromtimestamp(self._day_start(d) / SECOND, self.tz).weekday()
            base = 0.3 if weekday == 5 else (0.2 if weekday == 6 else 1.0)
            weights.append(base * (0.8 + 0.4 * d / max(1, self.size.days - 1)))  # adoption grows
        return weights

    def _simulate_day(self, d: int, target: int) -> None:
        rng = self.rng
        day_start = self._day_start(d)
        day_end = day_start + DAY - 30 * MINUTE
        busy: dict[int, int] = {}
        produced_before = self.remaining
        misses = 0
        while produced_before - self.remaining < target and self.remaining > 0 and misses < 20_000:
            for rep in rng.choices(self.reps, cum_weights=self.cum_weights, k=256):
                if produced_before - self.remaining >= target or self.remaining <= 0:
                    break
                free = busy.get(rep.user_id)
                if free is None:
                    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
                    start = day_start + hour * HOUR + rng.randrange(HOUR)
                else:
                    start = free + rng.randint(20 * MINUTE, 4 * HOUR)
                if start >= day_end or start < rep.joined_us:
                    misses += 1
                    continue
                end = self._session(rep, start)
                if end is None:
                    misses += 1
                    continue
                busy[rep.user_id] = end

    def rows(self):
        """Yield the statement rows in timestamp order, with seq ascending."""
        seq = 0
        rng = self.rng
        delay = rng.randint

        def finish(events: list[tuple[Any, ...]]):
            nonlocal seq
            events.sort(key=lambda e: e[0])
            for ts, actor, partner, verb, base, result, context, duration in events:
                seq += 1
                yield (
                    seq,
                    uuid.uuid4(),
                    actor,
                    partner,
                    verb,
                    *base,
                    result,
                    context,
                    duration,
                    to_dt(ts),
                    to_dt(ts + delay(50_000, 900_000)),
                    "{}",  # object_definition: nothing beyond type and name for lessons and courses
                )

        before = [e for e in self.assigned_events if e[0] < self.window_start_us]
        during = [e for e in self.assigned_events if e[0] >= self.window_start_us]
        yield from finish(before)
        weights = self._day_weights()
        total_weight = sum(weights)
        cumulative = 0.0
        made = 0
        for d in range(self.size.days):
            cumulative += weights[d]
            target = round(self.learner_budget * cumulative / total_weight) - made
            self.day = [e for e in during if self._day_start(d) <= e[0] < self._day_start(d + 1)]
            before_day = self.remaining
            self._simulate_day(d, target)
            made += before_day - self.remaining
            yield from finish(self.day)
            if (d + 1) % 10 == 0 or d + 1 == self.size.days:
                log(f"statements: day {d + 1}/{self.size.days}, {seq:,} of {self.total:,}")
        if self.remaining > 0:
            log(f"warning: the reps ran out of work {self.remaining:,} statements short of the target")

    # Projection rows ---------------------------------------------------------------------------

    def lesson_progress_rows(self):
        for rep in self.reps:
            for course_id, cs in rep.courses.items():
                for lesson_id, ls in cs.lessons.items():
                    yield (
                        rep.user_id,
                        lesson_id,
                        course_id,
                        to_dt(ls.started),
                        to_dt(ls.last),
                        to_dt(ls.completed) if ls.completed is not None else None,
                        ls.position,
                        json.dumps(ls.segments),
                        ls.progress,
                        ls.time,
                    )

    def course_progress_rows(self):
        for rep in self.reps:
            for course_id, cs in rep.courses.items():
                yield (
                    rep.user_id,
                    course_id,
                    cs.version_id,
                    cs.partner_id,
                    to_dt(cs.started),
                    to_dt(cs.last),
                    to_dt(cs.completed) if cs.completed is not None else None,
                    cs.done,
                    cs.total,
                    cs.time,
                    cs.last_lesson,
                )
