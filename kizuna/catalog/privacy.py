"""Catalog's part of a person's data: courses assigned to them personally and the reminders sent."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import Assignment, Course, CourseVersion, ReminderSent

register(
    Contribution(
        app="catalog",
        parts=(
            Part(
                "assignments",
                Assignment,
                "rep",
                Erasure.KEEP,
                fields=("id", "course_id", "course__title", "required", "due_at", "created_at"),
            ),
            Part("reminders_sent", ReminderSent, "rep", Erasure.DELETE),
        ),
        excluded=(
            Excluded(Assignment, "assigned_by", STAFF_ACTION),
            Excluded(Course, "created_by", STAFF_ACTION),
            Excluded(CourseVersion, "published_by", STAFF_ACTION),
        ),
    )
)
