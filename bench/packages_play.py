"""Play real-world SCORM packages end to end in Chromium at a phone viewport (375×667), and report how far each got.

For public sample packages that are not ours to commit (e.g. Rustici's golf samples, zipped one folder each):
each zip is imported, published in a course assigned to a rep of the test cast, and played on loopback by the
rep as a person would: the lesson's Start, the content's own Next buttons (``#butNext`` of the golf samples'
launch page, or any button/link named Next) until the SCO ends, then the player's Next, which asks Kizuna's
sequencing for the next SCO. It stops at the end of the package, at a SCO that needs answers (an assessment),
or after a step limit, and prints one line per package: the SCOs delivered in order, each SCO's status, whether
the lesson completed, and every message the sequencing showed.

    .venv/bin/python bench/packages_play.py <folder of zips> [--json out.json]

It runs ``kizuna/packages/tests/test_browser_real.py`` under pytest (its fixtures: a fresh test database, the
live server on 127.0.0.1, Debian's Chromium), with the folder in ``KIZUNA_REAL_PACKAGES``.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    env = {**os.environ, "KIZUNA_REAL_PACKAGES": str(args.folder.resolve())}
    if args.json:
        env["KIZUNA_REAL_PACKAGES_JSON"] = str(args.json.resolve())
    test = "kizuna/packages/tests/test_browser_real.py"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-s", test]
    sys.exit(subprocess.call(command, cwd=ROOT, env=env))


if __name__ == "__main__":
    main()
