"""Import a SCORM 1.2 / 2004 zip (or another registered format: a cmi5 course package) as the last lesson of a course: prints the new lesson's id, or every problem."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.catalog.selectors import draft_courses
from kizuna.ops.errors import ApplicationError
from kizuna.packages.formats import lesson_importer_for
from kizuna.packages.services import PackageError, package_lesson_import


class Command(BaseCommand):
    help = "Import a SCORM package (zip) as a new lesson at the end of a course; print the lesson's id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("zip", help="the package, as exported (.zip; for cmi5 also a cmi5.xml)")
        parser.add_argument("--course", type=int, required=True, help="the id of the (draft) course")
        parser.add_argument("--title", default="", help="the lesson's title (default: the package's)")

    def handle(self, *args: Any, **options: Any) -> None:
        course = draft_courses().filter(pk=options["course"]).first()
        if course is None:
            raise CommandError(f"No course with id {options['course']}.")
        author = course.created_by
        try:
            with open(options["zip"], "rb") as upload:
                lesson_import = lesson_importer_for(upload) or package_lesson_import
                lesson = lesson_import(upload=upload, course=course, author=author, title=options["title"])
        except OSError as exc:
            raise CommandError(f"Cannot read {options['zip']}: {exc.strerror}") from None
        except PackageError as err:
            raise CommandError("The package was refused:\n" + "\n".join(f"- {p}" for p in err.problems)) from None
        except ApplicationError as err:
            raise CommandError(str(err)) from None
        self.stdout.write(str(lesson.pk))
