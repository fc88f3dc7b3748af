"""Writes of organizations and people: partners, teams, people, invitations and the CSV import."""

import csv
import unicodedata
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.formats import number_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kizuna.accounts.services import account_create, account_invited, account_update, accounts_insert, accounts_prepare
from kizuna.accounts.sessions import account_departure
from kizuna.ops.errors import ApplicationError
from kizuna.ops.spreadsheets import EMAIL_ALIASES, Column, csv_table, decode_csv, header_labels, header_match
from kizuna.ops.trail import Action, Change, audit_record, audit_record_many, changed_fields

from .models import Membership, Organization, Team

if TYPE_CHECKING:
    from kizuna.accounts.models import User
else:
    User = get_user_model()
Role = Membership.Role

NAME_MAX_LENGTH = 150


class OrgsError(ApplicationError):
    """A change to organizations or people that cannot be made; the message is shown to the user.

    ``field`` names the form field the message belongs to, when there is one.
    """


def partner_create(*, name: str, slug: str) -> Organization:
    """Create a partner agency with a unique code."""
    name, slug = name.strip(), slug.strip().lower()
    if not name:
        raise OrgsError(_("Enter the partner's name."), field="name")
    try:
        validate_slug(slug)
    except ValidationError:
        raise OrgsError(
            _("Use only lowercase letters, digits, hyphens and underscores in the code (for example partner-a)."),
            field="slug",
        ) from None
    if Organization.objects.filter(slug=slug).exists():
        raise OrgsError(_("Another organization already uses this code."), field="slug")
    with transaction.atomic():
        partner = Organization.objects.create(name=name, slug=slug, kind=Organization.Kind.PARTNER)
        audit_record(
            action=Action.PARTNER_CREATE, target=partner, organization_id=partner.pk, after={"name": name, "code": slug}
        )
    return partner


def team_create(*, organization: Organization, name: str) -> Team:
    """Create a team inside one organization; team names are unique within it."""
    name = name.strip()
    if not name:
        raise OrgsError(_("Enter the team's name."), field="name")
    if Team.objects.filter(organization=organization, name=name).exists():
        raise OrgsError(_("This organization already has a team with this name."), field="name")
    with transaction.atomic():
        team = Team.objects.create(organization=organization, name=name)
        audit_record(action=Action.TEAM_CREATE, target=team, organization_id=organization.pk, after={"name": name})
    return team


def team_rename(*, team: Team, name: str) -> Team:
    """Rename a team; team names stay unique within their organization."""
    name = name.strip()
    if not name:
        raise OrgsError(_("Enter the team's name."), field="name")
    if Team.objects.filter(organization_id=team.organization_id, name=name).exclude(pk=team.pk).exists():
        raise OrgsError(_("This organization already has a team with this name."), field="name")
    if name != team.name:
        with transaction.atomic():
            audit_record(
                action=Action.TEAM_UPDATE,
                target=team,
                target_label=name,
                organization_id=team.organization_id,
                before={"name": team.name},
                after={"name": name},
            )
            team.name = name
            team.save(update_fields=["name"])
    return team


def team_members_set(*, team: Team, people: list[User]) -> None:
    """Make exactly these people (of the team's organization) the team's members; others leave it."""
    ids = [p.pk for p in people]
    if Membership.objects.filter(user_id__in=ids).exclude(organization_id=team.organization_id).exists():
        raise OrgsError(_("This team belongs to another organization."), field="team")
    with transaction.atomic():
        before = sorted(Membership.objects.filter(team=team).values_list("user__email", flat=True))
        Membership.objects.filter(team=team).exclude(user_id__in=ids).update(team=None)
        Membership.objects.filter(user_id__in=ids).update(team=team)
        after = sorted(p.email for p in people)
        if before != after:
            # Who joined and who left, by address: the whole member list of a large team would bury the change.
            audit_record(
                action=Action.TEAM_UPDATE,
                target=team,
                target_label=team.name,
                organization_id=team.organization_id,
                before={"left": sorted(set(before) - set(after))},
                after={"joined": sorted(set(after) - set(before))},
            )


def roles_for(organization: Organization) -> tuple[str, ...]:
    """Return the roles a person may have in this organization."""
    return Membership.PRINCIPAL_ROLES if organization.is_principal else Membership.PARTNER_ROLES


def _check_role_and_team(*, organization: Organization, role: str, team: Team | None) -> None:
    if role not in Role.values:
        raise OrgsError(_("Choose a role."), field="role")
    if role not in roles_for(organization):
        if organization.is_principal:
            message = _("People of the principal can only be principal admins, authors or coaches.")
        else:
            message = _("People of a partner can only be partner managers or reps.")
        raise OrgsError(message, field="role")
    if team is not None and team.organization_id != organization.pk:
        raise OrgsError(_("This team belongs to another organization."), field="team")


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise OrgsError(_("Enter the person's name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise OrgsError(_("The name is too long (at most 150 characters)."), field="name")
    return name


def email_is_registered(email: str) -> bool:
    """Whether someone already signs in with this e-mail address, ignoring case."""
    return User.objects.filter(email__iexact=email.strip()).exists()


def person_create(
    *,
    name: str,
    email: str,
    organization: Organization,
    role: str,
    team: Team | None = None,
    invited_by: User | None,
    send_invitation: bool,
) -> User:
    """Create a person with their membership; they set their own password from the invitation."""
    name = _clean_name(name)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise OrgsError(_("Enter a valid e-mail address."), field="email") from None
    _check_role_and_team(organization=organization, role=role, team=team)
    with transaction.atomic():
        if email_is_registered(email):
            raise OrgsError(_("This e-mail address is already registered."), field="email")
        user = account_create(email=email, name=name)
        Membership.objects.create(user=user, organization=organization, role=role, team=team)
        audit_record(
            action=Action.PERSON_CREATE,
            actor=invited_by,
            target=user,
            target_label=_person_label(user),
            organization_id=organization.pk,
            after=_person_state(user),
        )
    if send_invitation and invited_by is not None:
        invitations_enqueue(user_ids=[user.pk], invited_by=invited_by)
    return user


def person_update(
    *, person: User, updated_by: User | None, name: str, team: Team | None, role: str, is_active: bool
) -> User:
    """Change a person's name, team, role or whether they may sign in; their organization stays.

    ``updated_by`` is None when the agency's directory (SCIM) makes the change.
    """
    membership = person.membership
    name = _clean_name(name)
    _check_role_and_team(organization=membership.organization, role=role, team=team)
    if updated_by is not None and person.pk == updated_by.pk and (role != membership.role or not is_active):
        raise OrgsError(_("You cannot change your own role or deactivate yourself. Ask another admin."))
    before = _person_state(person)
    with transaction.atomic():
        was_active = person.is_active
        account_update(user=person, name=name, is_active=is_active)
        membership.team, membership.role = team, role
        membership.save(update_fields=["team", "role"])
        if was_active != is_active:
            # One path for every deactivation, by hand or by the agency's directory (SCIM): sessions and API
            # tokens end, and the agreement's retention rule starts counting (hooks of the apps above).
            account_departure(user=person, left=not is_active)
        old, new = changed_fields(before, _person_state(person))
        if new or old:
            audit_record(
                action=Action.PERSON_UPDATE,
                actor=updated_by,
                target=person,
                target_label=_person_label(person),
                organization_id=membership.organization_id,
                before=old,
                after=new,
            )
    return person


def _person_label(person: User) -> str:
    return f"{person.name} <{person.email}>"


def _person_state(person: User) -> dict[str, object]:
    """What the audit trail keeps of a person: the fields admins and managers change."""
    membership = person.membership
    return {
        "name": person.name,
        "email": person.email,
        "role": membership.role,
        "team": membership.team.name if membership.team else None,
        "active": person.is_active,
    }


def invitation_link(*, user: User) -> str:
    """Return the absolute link with which this person sets their password (valid until they use it)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:invitation_accept", kwargs={"uidb64": uidb64, "token": token})


def invitation_send(*, user: User, invited_by: User) -> None:
    """E-mail the person a link to set their password, in their language (Japanese by default)."""
    if not user.is_active:
        raise OrgsError(_("This person is deactivated. Reactivate them before sending an invitation."))
    membership = getattr(user, "membership", None)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "invited_by": invited_by,
            "organization": membership.organization if membership else None,
            "link": invitation_link(user=user),
            "login_url": settings.SITE_URL + reverse("account_login"),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        subject: str = render_to_string("orgs/email/invitation_subject.txt", context)
        body = render_to_string("orgs/email/invitation_message.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    send_mail(subject, body, None, [user.email])
    account_invited(user=user)
    audit_record(  # a link that sets a password: a credential handed out, in the person's organization
        action=Action.INVITATION_SEND,
        actor=invited_by,
        target=user,
        target_label=_person_label(user),
        organization_id=membership.organization_id if membership else None,
        after={"email": user.email, "valid_days": context["valid_days"]},
    )


def invitations_enqueue(*, user_ids: list[int], invited_by: User) -> None:
    """Send invitations in the background so a large import does not wait for the mail server."""
    from .tasks import invitations_send_task

    if user_ids:
        invitations_send_task.enqueue(user_ids, invited_by.pk if invited_by else None)


# --- CSV import -------------------------------------------------------------------------------

IMPORT_MAX_BYTES = 2 * 1024 * 1024
# One import is one transaction (everyone or no one): 1,000 people hold the write lock about 0.4 s on
# SQLite on a loaded machine (5,000 held it 3.5 s, near the 5 s that makes other writers fail).
IMPORT_MAX_ROWS = 1000
# The columns of the people CSV, in the template's order; a header cell names one in either language (the
# template's “name” or “氏名”), or by one of the other names people's own sheets use.
IMPORT_COLUMNS = (
    Column("name", pgettext_lazy("people CSV column", "name"), ("氏名", "名前")),
    Column("email", pgettext_lazy("people CSV column", "email"), EMAIL_ALIASES),
    Column("partner", pgettext_lazy("people CSV column", "partner"), ("パートナー", "パートナー企業")),
    Column("team", pgettext_lazy("people CSV column", "team"), ("チーム",), required=False),
    Column("role", pgettext_lazy("people CSV column", "role"), ("役割",)),
)
IMPORT_ROLE_ALIASES = {
    "rep": Role.REP,
    "営業担当者": Role.REP,
    "manager": Role.MANAGER,
    "partner manager": Role.MANAGER,
    "partner_manager": Role.MANAGER,
    "パートナー管理者": Role.MANAGER,
}


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file was refused; ``line`` is the spreadsheet row (the header is line 1), None for the whole file."""

    line: int | None
    message: str


@dataclass
class ImportResult:
    created: list[User] = field(default_factory=list)
    teams_created: list[Team] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created_count(self) -> int:
        return len(self.created)

    @property
    def lines_with_problems(self) -> list[int]:
        return sorted({p.line for p in self.problems if p.line is not None})


@dataclass
class _Row:
    line: int
    name: str
    email: str
    partner: Organization
    team_name: str
    role: str


def _refused(message: str) -> ImportResult:
    return ImportResult(problems=[ImportProblem(line=None, message=message)])


def _import_text(file: IO[bytes]) -> str | ImportResult:
    """Return the file's text, or a refusal when it is too big, empty, binary or in an unknown encoding."""
    size = getattr(file, "size", None)
    too_big = size is not None and size > IMPORT_MAX_BYTES
    data = b"" if too_big else file.read(IMPORT_MAX_BYTES + 1)
    if too_big or len(data) > IMPORT_MAX_BYTES:
        return _refused(
            _("The file is too large (at most 2 MB). Split it into several files and upload them one by one.")
        )
    text = decode_csv(data)
    if text is not None and "\x00" in text:
        return _refused(_("This is not a CSV file. In Excel, use “Save As” and choose “CSV UTF-8 (comma delimited)”."))
    if text is None:
        return _refused(
            _("The file's characters cannot be read. Save it as CSV in UTF-8 (or Shift_JIS) and upload it again.")
        )
    if not text.strip(" \t\r\n,\ufeff"):
        return _refused(_("The file is empty. Add a header row and one row per person."))
    return text


def _import_columns(header: list[str]) -> dict[str, int] | ImportResult:
    """Map our column names to their positions in the header row, or refuse a header that lacks some."""
    match = header_match(header, IMPORT_COLUMNS)
    if match.repeated:
        return _refused(
            _("The column “%(column)s” appears twice in the header row.") % {"column": match.repeated[0].label}
        )
    if match.missing:
        with translation.override("en"):
            english = ",".join(header_labels(IMPORT_COLUMNS))
        with translation.override("ja"):
            japanese = ",".join(header_labels(IMPORT_COLUMNS))
        return _refused(
            _(
                "The header row (line 1) is missing these columns: %(missing)s. "
                "Line 1 must be: %(columns)s (or in Japanese: %(japanese)s)."
            )
            % {"missing": ", ".join(str(c.label) for c in match.missing), "columns": english, "japanese": japanese}
        )
    return match.positions


def _partner_lookup() -> dict[str, Organization]:
    """Partners by lowercase code and by exact name (a code wins over a name)."""
    lookup: dict[str, Organization] = {}
    partners = list(Organization.objects.filter(kind=Organization.Kind.PARTNER))
    for partner in partners:
        lookup.setdefault(partner.name.strip(), partner)
    for partner in partners:
        lookup[partner.slug.lower()] = partner
    return lookup


def _registered_emails(emails: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        found.update(
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values_list("email_lower", flat=True)
        )
    return found


def _import_email(text: str) -> str:
    """Lowercase, with full-width letters and ＠ (common in Japanese spreadsheets) made half-width."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def _cell(record: list[str], index: int | None) -> str:
    return record[index] if index is not None and index < len(record) else ""


def _import_rows(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[_Row], list[ImportProblem]]:
    """Check every row; return the clean rows, or every problem found in any row."""
    partners = _partner_lookup()
    registered = _registered_emails(sorted({_import_email(r["email"]) for _line, r in rows if r["email"].strip()}))
    first_line_of: dict[str, int] = {}
    problems: list[ImportProblem] = []
    clean: list[_Row] = []
    for line, row in rows:
        before = len(problems)

        def problem(message: str, line: int = line) -> None:
            problems.append(ImportProblem(line=line, message=message))

        name = " ".join(row["name"].split())
        if not name:
            problem(_("The name is missing."))
        elif len(name) > NAME_MAX_LENGTH:
            problem(_("The name is too long (at most 150 characters)."))

        email = _import_email(row["email"])
        if not email:
            problem(_("The e-mail address is missing."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                problem(_("“%(email)s” is not a valid e-mail address.") % {"email": row["email"].strip()})
            else:
                if email in registered:
                    problem(_("%(email)s is already registered.") % {"email": email})
                elif email in first_line_of:
                    problem(
                        _("%(email)s is also on line %(line)s; each person needs their own e-mail address.")
                        % {"email": email, "line": first_line_of[email]}
                    )
                else:
                    first_line_of[email] = line

        partner_text = row["partner"].strip()
        partner = partners.get(partner_text.lower()) or partners.get(partner_text)
        if not partner_text:
            problem(_("The partner is missing."))
        elif partner is None:
            problem(
                _("Unknown partner “%(partner)s”. Use the partner's code or its exact name.")
                % {"partner": partner_text}
            )

        team_name = row["team"].strip()
        if len(team_name) > Team._meta.get_field("name").max_length:  # type: ignore[operator]  # a CharField: set
            problem(_("The team name is too long (at most 200 characters)."))

        role_text = row["role"].strip()
        role = IMPORT_ROLE_ALIASES.get(unicodedata.normalize("NFKC", role_text).lower())
        if not role_text:
            problem(_("The role is missing."))
        elif role is None:
            problem(
                _("Unknown role “%(role)s”. Use rep (営業担当者) or manager (パートナー管理者).") % {"role": role_text}
            )

        if len(problems) == before and partner is not None and role is not None:
            clean.append(_Row(line=line, name=name, email=email, partner=partner, team_name=team_name, role=role))
    return clean, problems


def people_import_csv(*, file: IO[bytes], invited_by: User, send_invitations: bool) -> ImportResult:
    """Bring in partner managers and reps from a CSV file: everyone or, if any row is wrong, no one.

    The file:

    - Is CSV in UTF-8, with or without a BOM; Shift_JIS (CP932), as Excel in Japan saves it, is accepted too
      (UTF-8 is tried first), and so is Excel's tab-separated UTF-16 "Unicode text". At most 2 MB and
      1,000 people.
    - Starts with a header row naming the columns, in any order: ``name,email,partner,team,role``
      (or in Japanese ``氏名,メールアドレス,パートナー,チーム,役割``; full-width letters, case and spaces do
      not matter). ``team`` may be left out; other columns are ignored. Empty rows are skipped.
    - ``name``: the person's name as shown on screen (姓 名). ``email``: the address they sign in with,
      unique across Kizuna (case does not matter). ``partner``: the partner's code (slug) or its exact
      name. ``team``: optional; a team of that name is created in that partner if it does not exist.
      ``role``: ``rep`` or ``manager`` (or ``営業担当者`` / ``パートナー管理者``).

    The whole file is checked before anything is written, in one transaction. If any row is wrong nothing
    is created and the result lists every problem with its line number (the header is line 1) and the
    reason in the active language. Otherwise everyone is created, missing teams too, and if
    ``send_invitations`` each person is e-mailed a link to set their password.
    """
    text = _import_text(file)
    if isinstance(text, ImportResult):
        return text
    try:
        records = csv_table(text)
    except csv.Error:
        return _refused(_("This is not a CSV file that can be read. Check that the values are separated by commas."))
    header, body = records[0], records[1:]
    columns = _import_columns(header)
    if isinstance(columns, ImportResult):
        return columns

    rows: list[tuple[int, dict[str, str]]] = []
    for line, record in enumerate(body, start=2):
        if not any(cell.strip() for cell in record):
            continue
        rows.append((line, {c.key: _cell(record, columns.get(c.key)) for c in IMPORT_COLUMNS}))
    if not rows:
        return _refused(_("The file has a header row but no people. Add one row per person under it."))
    if len(rows) > IMPORT_MAX_ROWS:
        return _refused(
            _("The file has %(count)s people; at most %(max)s can be imported at once. Split it into several files.")
            % {
                "count": number_format(len(rows), force_grouping=True),
                "max": number_format(IMPORT_MAX_ROWS, force_grouping=True),
            }
        )

    clean, problems = _import_rows(rows)
    if problems:
        return ImportResult(problems=problems)

    result = ImportResult()
    # Built before the transaction: making 1,000 unusable passwords must not hold the write lock.
    users = accounts_prepare(people=[(row.email, row.name) for row in clean])
    try:
        with transaction.atomic():
            teams = _import_teams(clean, result)
            result.created = accounts_insert(users=users)
            Membership.objects.bulk_create(
                [
                    Membership(
                        user=user,
                        organization=row.partner,
                        role=row.role,
                        team=teams.get((row.partner.pk, row.team_name)),
                    )
                    for user, row in zip(result.created, clean, strict=True)
                ],
                batch_size=500,
            )
            audit_record_many(
                action=Action.PERSON_CREATE,
                actor=invited_by,
                changes=[
                    Change(
                        target=user,
                        target_label=_person_label(user),
                        organization_id=row.partner.pk,
                        after={"name": user.name, "email": user.email, "role": row.role, "team": row.team_name or None},
                    )
                    for user, row in zip(result.created, clean, strict=True)
                ],
            )
    except IntegrityError:
        return _refused(
            _("Someone registered some of these e-mail addresses while the file was being imported. Upload it again.")
        )
    if send_invitations:
        invitations_enqueue(user_ids=[u.pk for u in result.created], invited_by=invited_by)
    return result


def _import_teams(rows: list[_Row], result: ImportResult) -> dict[tuple[int, str], Team]:
    """Return the teams the rows name, creating those that do not exist yet."""
    wanted = {(row.partner.pk, row.team_name): row.partner for row in rows if row.team_name}
    teams = {
        (t.organization_id, t.name): t
        for t in Team.objects.filter(
            organization_id__in={pk for pk, _name in wanted}, name__in={n for _pk, n in wanted}
        )
    }
    for (partner_pk, name), partner in wanted.items():
        if (partner_pk, name) not in teams:
            team = Team.objects.create(organization=partner, name=name)
            teams[(partner_pk, name)] = team
            result.teams_created.append(team)
    return teams
