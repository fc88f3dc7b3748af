"""Screens of gamification: rankings, a person's badges and points, the rules, the principal's tools,
and the public Open Badges 2.0 documents."""

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kizuna.media.serving import stored_file_response
from kizuna.ops.bounds import BIGINT_MAX, query_int
from kizuna.ops.errors import add_to_form, message_user
from kizuna.ops.repcache import kept, rep_page
from kizuna.orgs.access import (
    Role,
    access_partner_for_user,
    access_rep_for_user,
    access_team_for_user,
    has_role,
    membership_of,
    role_required,
    visible_partners,
    visible_reps,
    visible_teams,
)

from . import rules, selectors, services
from .errors import GamificationError
from .forms import BadgeForm, KudosForm, LevelFormSet, PointRuleFormSet, RevokeForm, SpotlightForm
from .models import Badge, BadgeAward, Spotlight
from .tasks import gamification_rebuild_task

admin_only = role_required(Role.ADMIN)


# A board moves with everyone's points: a rep's view of it is kept this long (their own points renew it at once).
RANKING_SECONDS = 60


def _int(value: str | None) -> int | None:
    return query_int(value, lo=1, hi=BIGINT_MAX)


@login_required
@require_GET
@rep_page(seconds=RANKING_SECONDS)
def rankings(request: HttpRequest) -> HttpResponse:
    """Weekly, monthly and all-time rankings for the team, the agency or across agencies."""
    m = membership_of(request.user)
    if m is not None and m.is_rep:
        return _rep_rankings(request)
    sharing = selectors.ranking_sharing(request.user)
    scopes = selectors.ranking_scopes(request.user, sharing)
    if m is None or not scopes:
        raise Http404
    period = request.GET.get("period", selectors.Period.WEEK)
    default = selectors.Scope.AGENCY if m.is_manager else scopes[0]
    scope = request.GET.get("scope", selectors.Scope.ALL if m.is_principal_staff else default)
    if period not in selectors.Period.CHOICES or scope not in scopes:
        raise Http404
    partner_id = team_id = None
    partners: list[Any] = []
    teams: list[Any] = []
    if m.is_principal_staff:
        partners = list(visible_partners(request.user).only("pk", "name"))
        partner_id = _int(request.GET.get("partner")) or (partners[0].pk if partners else None)
        if scope == selectors.Scope.AGENCY:
            if partner_id is None:
                raise Http404
            access_partner_for_user(request.user, partner_id)
    elif m.is_manager and scope == selectors.Scope.TEAM:
        teams = list(visible_teams(request.user).only("pk", "name"))
        team_id = _int(request.GET.get("team")) or (teams[0].pk if teams else None)
        if team_id is None:
            raise Http404
        access_team_for_user(request.user, team_id)
    board = selectors.ranking(
        viewer=request.user, period=period, scope=scope, partner_id=partner_id, team_id=team_id, sharing=sharing
    )
    today = rules.local_day(timezone.now())
    return render(
        request,
        "gamification/rankings.html",
        {
            "board": board,
            "periods": selectors.Period.CHOICES,
            "partners": partners,
            "partner_id": partner_id,
            "teams": teams,
            "team_id": team_id,
            "spotlight": selectors.spotlight_for_month(today),
            "month": today.replace(day=1),
        },
    )


def _rep_rankings(request: HttpRequest) -> HttpResponse:
    """A rep's rankings: their team's, agency's or (if their agreement shares it) every agency's board, kept for
    RANKING_SECONDS or until their own points change (ops.repcache); four queries once warm."""
    user = request.user
    period = request.GET.get("period", selectors.Period.WEEK)
    asked = request.GET.get("scope", "")
    if period not in selectors.Period.CHOICES or asked not in ("", *selectors.Scope.CHOICES):
        raise Http404
    board_key = f"ranking:{period}:{asked}"
    scopes = kept(user, {"ranking_scopes": lambda: selectors.ranking_scopes(user)}, along=(board_key,))[
        "ranking_scopes"
    ]
    scope = asked or (scopes[0] if scopes else "")
    if scope not in scopes:
        raise Http404
    now = timezone.now()

    def board() -> tuple[Any, Any]:
        today = rules.local_day(now)
        return (
            selectors.ranking(viewer=user, period=period, scope=scope),
            selectors.spotlight_for_month(today),
        )

    ranking, spotlight = kept(user, {board_key: board}, turns=lambda _values: now + timedelta(seconds=RANKING_SECONDS))[
        board_key
    ]
    return render(
        request,
        "gamification/rankings.html",
        {
            "board": ranking,
            "periods": selectors.Period.CHOICES,
            "partners": [],
            "partner_id": None,
            "teams": [],
            "team_id": None,
            "spotlight": spotlight,
            "month": rules.local_day(now).replace(day=1),
        },
    )


@login_required
@require_GET
def badges(request: HttpRequest) -> HttpResponse:
    """A person's points, level, streak and badges (with links to share them), kudos and recent points."""
    if membership_of(request.user) is None:
        raise Http404
    return render(request, "gamification/badges.html", _person_context(request.user))


def _person_context(person: Any) -> dict[str, Any]:
    return {
        "person": person,
        "strip": selectors.rep_strip(person),
        "cards": selectors.badge_cards(user=person),
        "recent": selectors.recent_points(user=person),
        "kudos": selectors.kudos_for(user=person),
    }


@login_required
@require_GET
def point_rules(request: HttpRequest) -> HttpResponse:
    """How points are earned, the daily caps and the levels: the same page for everyone."""
    if membership_of(request.user) is None:
        raise Http404
    return render(
        request,
        "gamification/rules.html",
        {
            "rules": selectors.point_rules(),
            "levels": selectors.levels(),
            "is_admin": has_role(request.user, Role.ADMIN),
        },
    )


@admin_only
def gamification_admin(request: HttpRequest) -> HttpResponse:
    """The principal's settings: points per event and caps, levels, badges, and re-scoring history."""
    services.defaults_ensure()  # the admin edits the stored rules and badges, so the defaults are stored first
    rule_rows = selectors.point_rules()
    initial = [
        {"kind": r.kind, "points": r.points, "daily_cap": r.daily_cap, "threshold": r.threshold, "active": r.active}
        for r in rule_rows
    ]
    level_initial = [
        {"threshold": lv.threshold, "name_ja": lv.name_ja, "name_en": lv.name_en} for lv in selectors.levels()
    ]
    rule_forms = PointRuleFormSet(request.POST or None, initial=initial, prefix="rules")
    level_forms = LevelFormSet(request.POST or None, initial=level_initial, prefix="levels")
    if request.method == "POST":
        if rule_forms.is_valid() and level_forms.is_valid():
            levels = [
                (f.cleaned_data["threshold"], f.cleaned_data["name_ja"], f.cleaned_data["name_en"])
                for f in level_forms
                if f.cleaned_data and f.cleaned_data.get("threshold") is not None
            ]
            try:
                services.rules_save(rules=[f.cleaned_data for f in rule_forms], levels=levels)
            except GamificationError as exc:
                message_user(request, exc)
            else:
                messages.success(request, _("Saved. Re-score history to apply the new rules to past learning."))
                return redirect("gamification:gamification_admin")
        else:
            messages.error(request, _("Some values are not valid: see the marked fields."))
    rule_labels = {r.kind: r.get_kind_display() for r in rule_rows}
    return render(
        request,
        "gamification/admin.html",
        {
            "rule_forms": rule_forms,
            "rule_rows": [(rule_labels.get(f.initial.get("kind"), ""), f) for f in rule_forms],
            "level_forms": level_forms,
            "badges": Badge.objects.select_related("course").order_by("pk"),
        },
    )


@admin_only
@require_POST
def gamification_rescore(request: HttpRequest) -> HttpResponse:
    gamification_rebuild_task.enqueue()
    messages.success(request, _("Re-scoring started. Points, levels and badges follow the current rules."))
    return redirect("gamification:gamification_admin")


def _courses() -> Any:
    from kizuna.catalog.selectors import published_courses

    return published_courses()


@admin_only
def gamification_badge_new(request: HttpRequest) -> HttpResponse:
    return _badge_form(request, None)


@admin_only
def gamification_badge_edit(request: HttpRequest, badge_slug: str) -> HttpResponse:
    return _badge_form(request, selectors.access_badge(badge_slug))


def _badge_form(request: HttpRequest, badge: Badge | None) -> HttpResponse:
    form = BadgeForm(request.POST or None, request.FILES or None, instance=badge, courses=_courses())
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "image_upload"}
        try:
            upload = form.cleaned_data.get("image_upload")
            image = services.badge_image_clean(upload) if upload else None
            services.badge_save(badge=badge, data=data, image=image)
        except GamificationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Badge saved. Re-score history to award it for past learning."))
            return redirect("gamification:gamification_admin")
    return render(request, "gamification/badge_form.html", {"form": form, "badge": badge})


@role_required(Role.ADMIN, Role.COACH, Role.MANAGER)
@require_GET
def gamification_rep(request: HttpRequest, rep_id: int) -> HttpResponse:
    """One rep's points and badges for their manager and the principal; kudos and revocation for the principal."""
    rep = access_rep_for_user(request.user, rep_id)
    return render(
        request,
        "gamification/rep.html",
        {
            **_person_context(rep),
            "can_kudos": has_role(request.user, Role.ADMIN, Role.COACH),
            "can_revoke": has_role(request.user, Role.ADMIN),
            "kudos_form": KudosForm(),
            "revoke_form": RevokeForm(),
        },
    )


@role_required(Role.ADMIN, Role.COACH)
@require_POST
def gamification_kudos(request: HttpRequest, rep_id: int) -> HttpResponse:
    rep = access_rep_for_user(request.user, rep_id)
    form = KudosForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message of thanks (at most 500 characters)."))
    else:
        try:
            services.kudos_send(sender=request.user, rep=rep, message=form.cleaned_data["message"])
        except GamificationError as exc:
            message_user(request, exc)
        else:
            messages.success(request, _("Kudos sent."))
    return redirect("gamification:gamification_rep", rep_id=rep.pk)


@admin_only
@require_POST
def gamification_revoke(request: HttpRequest, rep_id: int, badge_slug: str) -> HttpResponse:
    rep = access_rep_for_user(request.user, rep_id)
    award = BadgeAward.objects.filter(user=rep, badge__slug=badge_slug).first()
    if award is None:
        raise Http404
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise GamificationError(_("Say why the badge is revoked."))
        services.badge_revoke(award=award, by=request.user, reason=form.cleaned_data["reason"])
    except GamificationError as exc:
        message_user(request, exc)
    else:
        messages.success(request, _("The badge is revoked; its public record says so."))
    return redirect("gamification:gamification_rep", rep_id=rep.pk)


@admin_only
def gamification_spotlight(request: HttpRequest) -> HttpResponse:
    """The principal picks reps for a month's spotlight."""
    form = SpotlightForm(request.POST or None, initial={"month": timezone.localdate().strftime("%Y-%m")})
    if request.method == "POST" and form.is_valid():
        rep = visible_reps(request.user).filter(email__iexact=form.cleaned_data["email"]).first()
        if rep is None:
            form.add_error("email", _("No rep has this e-mail address."))
        else:
            try:
                services.spotlight_add(
                    month=form.cleaned_data["month"], rep=rep, note=form.cleaned_data["note"], by=request.user
                )
            except GamificationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Added to the spotlight."))
                return redirect("gamification:gamification_spotlight")
    picks = Spotlight.objects.select_related("rep__membership__organization").order_by("-month", "created_at")[:60]
    return render(request, "gamification/spotlight.html", {"form": form, "picks": picks})


@admin_only
@require_POST
def gamification_spotlight_remove(request: HttpRequest, spotlight_id: int) -> HttpResponse:
    spotlight = Spotlight.objects.filter(pk=spotlight_id).first()
    if spotlight is None:
        raise Http404
    services.spotlight_remove(spotlight=spotlight)
    messages.success(request, _("Removed from the spotlight."))
    return redirect("gamification:gamification_spotlight")


@login_required
@require_POST
def gamification_celebrated(request: HttpRequest) -> HttpResponse:
    """Remember that the person saw their celebration (the banner's script, or its button without script)."""
    strip = selectors.rep_strip(request.user)
    services.celebration_seen(user=request.user, points=strip.points, level=strip.level, badges=strip.badges)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/") else "learning:home")


# --- Open Badges 2.0 (public) ----------------------------------------------------------------------------------


def _jsonld(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def ob_issuer(request: HttpRequest) -> HttpResponse:
    return _jsonld(selectors.ob_issuer())


@require_GET
def ob_badge_class(request: HttpRequest, badge_slug: str) -> HttpResponse:
    return _jsonld(selectors.ob_badge_class(selectors.access_badge(badge_slug)))


@require_GET
def ob_assertion(request: HttpRequest, assertion_id: uuid.UUID) -> HttpResponse:
    data, revoked = selectors.ob_assertion(assertion_id)
    # Open Badges 2.0: a revoked hosted assertion answers 410 Gone, saying it is revoked and why.
    return _jsonld(data, status=410 if revoked else 200)


@require_GET
def badge_image(request: HttpRequest, badge_slug: str) -> HttpResponse:
    badge = selectors.access_badge(badge_slug)
    if badge.image:
        return stored_file_response(request, name=badge.image.name, content_type="image/png")
    return HttpResponse(badge_svg(badge), content_type="image/svg+xml")


def badge_svg(badge: Badge) -> str:
    """Draw a round badge in its colour with the first letters of its name."""
    color = badge.color if len(badge.color) == 7 and badge.color.startswith("#") else "#1d4e89"
    letters = escape(badge.name_ja[:2])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">'
        f'<circle cx="60" cy="60" r="56" fill="{escape(color)}"/>'
        '<circle cx="60" cy="60" r="46" fill="none" stroke="#fff" stroke-width="3" opacity=".7"/>'
        f'<text x="60" y="70" font-size="30" font-weight="700" text-anchor="middle" fill="#fff"'
        f' font-family="sans-serif">{letters}</text></svg>'
    )
