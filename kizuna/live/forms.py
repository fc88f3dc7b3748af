"""Forms of live sessions: scheduling, assigning, checking in, the attendance list and the recording."""

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.media.forms import VideoChoiceField
from kizuna.media.selectors import videos_to_choose
from kizuna.ops.datetimes import utc_offset
from kizuna.orgs.models import Organization, Team

from .models import LiveSession
from .services import SessionData

# The zones a host may hold a session in, named as people say them (never the IANA name alone).
TIME_ZONES = [
    ("Asia/Tokyo", _("Japan (Tokyo)")),
    ("Asia/Seoul", _("Korea (Seoul)")),
    ("Asia/Shanghai", _("China (Shanghai)")),
    ("Asia/Taipei", _("Taiwan (Taipei)")),
    ("Asia/Singapore", _("Singapore")),
    ("Asia/Bangkok", _("Thailand (Bangkok)")),
    ("Asia/Kolkata", _("India (Kolkata)")),
    ("Australia/Sydney", _("Australia (Sydney)")),
    ("Europe/London", _("United Kingdom (London)")),
    ("Europe/Paris", _("Central Europe (Paris)")),
    ("America/New_York", _("US Eastern (New York)")),
    ("America/Los_Angeles", _("US Pacific (Los Angeles)")),
    ("UTC", _("UTC")),
]


def time_zone_choices() -> list[tuple[str, str]]:
    """Return the zones with their offset from UTC today, e.g. 「日本(東京) UTC+9」."""
    now = timezone.now()
    return [
        (zone, label if zone == "UTC" else f"{label} {utc_offset(now, ZoneInfo(zone))}") for zone, label in TIME_ZONES
    ]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    start_date = forms.DateField(label=pgettext_lazy("live", "Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, initial="Asia/Tokyo")
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480, initial=60)
    join_url = forms.URLField(
        label=_("Join link"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The meeting link from your meeting service (https://…)."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, max_value=100_000, help_text=_("Leave empty for no limit.")
    )
    waitlist = forms.BooleanField(label=_("Keep a waiting list when full"), required=False)
    open_to_all = forms.BooleanField(label=_("Open to every rep of every partner"), required=False)

    @classmethod
    def initial_for(cls, session: LiveSession) -> dict[str, Any]:
        local = session.starts_at.astimezone(ZoneInfo(session.time_zone))
        return {
            "title": session.title,
            "description": session.description,
            "start_date": local.date(),
            "start_time": local.time().replace(second=0, microsecond=0),
            "time_zone": session.time_zone,
            "duration_minutes": session.duration_minutes,
            "join_url": session.join_url,
            "capacity": session.capacity,
            "waitlist": session.waitlist,
            "open_to_all": session.open_to_all,
        }

    def session_data(self) -> SessionData:
        d = self.cleaned_data
        starts_at = datetime.combine(d["start_date"], d["start_time"], tzinfo=ZoneInfo(d["time_zone"]))
        return SessionData(
            title=d["title"],
            description=d["description"],
            starts_at=starts_at,
            duration_minutes=d["duration_minutes"],
            time_zone=d["time_zone"],
            join_url=d["join_url"],
            capacity=d["capacity"],
            waitlist=d["waitlist"],
            open_to_all=d["open_to_all"],
        )


class AudienceForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Organization.objects.filter(kind=Organization.Kind.PARTNER), required=False
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.filter(organization__kind=Organization.Kind.PARTNER).select_related("organization"),
        required=False,
    )
    rep_email = forms.EmailField(label=_("Or one rep (e-mail)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].label_from_instance = lambda t: f"{t.organization.name} / {t.name}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = [name for name in ("partner", "team", "rep_email") if data.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose exactly one: a partner, a team or one rep."))
        return data


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
    )


class AttendanceForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance list (CSV)"), help_text=_("One row per attendee, with a column named “email”.")
    )


class RecordingForm(forms.Form):
    file = forms.FileField(
        label=_("Upload the recording"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}),
    )
    video = VideoChoiceField(
        label=_("Or choose an uploaded video"),
        # The studio's videos only: a rep's roleplay take (uploaded by a partner person) is never a recording.
        queryset=videos_to_choose(None),
        required=False,
        empty_label=_("(none: upload a file above)"),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["video"]
        field.queryset = videos_to_choose(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("video")):
            raise forms.ValidationError(_("Upload the recording or choose an uploaded video (one of the two)."))
        return data


class PublishRecordingForm(forms.Form):
    due_on = forms.DateField(
        label=_("Watch by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("With a date, the recording is required for those who missed the session."),
    )

    def due_at(self) -> datetime | None:
        day = self.cleaned_data.get("due_on")
        if day is None:
            return None
        return datetime.combine(day, time(23, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))
