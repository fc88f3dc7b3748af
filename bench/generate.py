"""Build Kizuna's benchmark data set in PostgreSQL: agencies, reps, published courses, assignments,
millions of xAPI statements over ~90 days and the progress projections derived from them.

Small tables go through the ORM and the real catalog services; the big ones (statements and the
two progress projections) are streamed into PostgreSQL with COPY, day by day, so memory stays
bounded whatever the size. Usage (see bench/README.md):

    .venv/bin/python bench/generate.py --reset                 # full size into `bench/pg.sh url`
    .venv/bin/python bench/generate.py --reset --size small    # into `bench/pg.sh url small`

$DATABASE_URL is deliberately ignored: --reset drops a schema, so the database is named explicitly.
"""

import argparse
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datagen.bulkload import bulk_load, check_columns  # noqa: E402
from datagen.common import DAY, PASSWORD, PRESETS, Size, log, to_us  # noqa: E402
from datagen.simulation import Simulation  # noqa: E402
from datagen.verify import verify_sample  # noqa: E402
from datagen.world import (  # noqa: E402
    build_content,
    build_people,
    create_assignments,
    ensure_empty,
    plan_assignments,
    plan_reps,
    reset_schema,
)


def default_database_url(size_name: str) -> str:
    # Each preset has its own database by default, so a quick run never wipes the full data set.
    which = {"full": [], "small": ["small"], "tiny": ["smoke"]}[size_name]
    return subprocess.run(
        [str(ROOT / "bench" / "pg.sh"), "url", *which], check=True, capture_output=True, text=True
    ).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL (default: `bench/pg.sh url` full/small/smoke, by --size)",
    )
    parser.add_argument("--size", choices=sorted(PRESETS), default="full")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the schema first")
    parser.add_argument(
        "--force-reset", action="store_true", help="allow --reset on a database whose name lacks 'bench'"
    )
    parser.add_argument("--reps", type=int)
    parser.add_argument("--partners", type=int)
    parser.add_argument("--courses", type=int)
    parser.add_argument("--statements", type=int)
    parser.add_argument("--days", type=int)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--repair-indexes",
        action="store_true",
        help="only build again the statements table's invalid indexes (left by the generator before 2026-12-06 "
        "on the partitioned table: no secondary index on any partition) and ANALYZE; nothing else changes",
    )
    parser.add_argument(
        "--extend",
        action="store_true",
        help="with --windows: add the copies to a database this generator made before (same --size and day), "
        "instead of generating",
    )
    parser.add_argument(
        "--windows",
        type=int,
        default=1,
        metavar="K",
        help="repeat the window's learning statements K-1 more times into the windows before it, in SQL "
        "(K times the statements, the same shapes; the progress projections describe the newest window only)",
    )
    parser.add_argument(
        "--verify",
        type=int,
        default=25,
        metavar="N",
        help="replay N sampled reps with the app's projection code and compare (0: skip)",
    )
    args = parser.parse_args()
    if args.windows < 1 or (args.extend and args.windows < 2):
        parser.error("--windows must be 1 or more (2 or more with --extend)")

    size = PRESETS[args.size]
    overrides = {
        k: getattr(args, k)
        for k in ("reps", "partners", "courses", "statements", "days")
        if getattr(args, k) is not None
    }
    size = Size(**{**size.__dict__, **overrides})
    if size.reps < size.target_partner_reps + size.partners - 1:
        size = Size(**{**size.__dict__, "target_partner_reps": max(1, size.reps // size.partners)})

    url = args.database_url or default_database_url(args.size)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"The benchmark needs PostgreSQL; got {url!r}")
    if args.reset and "bench" not in url.rsplit("/", 1)[-1] and not args.force_reset:
        sys.exit(f"Refusing to drop the schema of {url.split('@')[-1]}: its name lacks 'bench' (see --force-reset).")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        sys.exit(f"Cannot reach the bench database ({exc}). Is it running? Start it with `make bench-pg`.")

    safe_url = url.split("@")[-1]
    if args.repair_indexes:
        from datagen.bulkload import connect, repair_invalid_indexes

        with connect() as conn, conn.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '1GB'")
            repaired = repair_invalid_indexes(cur)
            conn.commit()
            cur.execute("ANALYZE records_statement")
        log(f"{safe_url}: {len(repaired)} invalid indexes built again: {', '.join(repaired) or 'none'}")
        return 0
    log(
        f"bench data '{args.size}' into {safe_url}: {size.partners} partners, {size.reps:,} reps, "
        f"{size.courses} courses, {size.statements:,} statements over {size.days} days"
    )
    if args.extend:
        from types import SimpleNamespace

        from datagen.bulkload import extend_windows

        tz = ZoneInfo(settings.TIME_ZONE)
        today = datetime.now(tz).date()
        end_us = to_us(datetime(today.year, today.month, today.day, tzinfo=tz))
        counts = extend_windows(
            SimpleNamespace(size=size, window_start_us=end_us - size.days * DAY, tz=tz), args.windows
        )
        log(f"extended: {counts}")
        return 0
    if args.reset:
        reset_schema()
    ensure_empty()
    call_command("migrate", interactive=False, verbosity=0)
    log("migrated")
    check_columns()

    tz = ZoneInfo(settings.TIME_ZONE)
    today = datetime.now(tz).date()
    window_end_us = to_us(datetime(today.year, today.month, today.day, tzinfo=tz))
    window_start_us = window_end_us - size.days * DAY

    world = build_people(size, args.seed, window_start_us, window_end_us)
    courses = build_content(size, args.seed, world["staff"], window_start_us)
    planned = plan_assignments(size, args.seed, world, courses, window_start_us, window_end_us, tz)
    create_assignments(world, planned)
    plan_reps(world, planned, args.seed)

    sim = Simulation(seed=args.seed, world=world, planned=planned, size=size, window_start_us=window_start_us, tz=tz)
    counts = bulk_load(sim, windows=args.windows)

    ok = True
    if args.verify and args.windows > 1:
        log("--verify skipped: with --windows the progress projections describe the newest window only")
    elif args.verify:
        ok = verify_sample(world, args.verify, args.seed)

    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        db_size = cur.fetchone()[0]
    log(
        f"done: {counts['statements']:,} statements, {counts['lesson_progress']:,} lesson progress rows, "
        f"{counts['course_progress']:,} course progress rows; database {db_size}; "
        f"sign in as any bench user with the password '{PASSWORD}'"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
