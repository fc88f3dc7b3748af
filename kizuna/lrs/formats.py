"""The three formats of statements returned: exact (as stored), ids (identifiers only), canonical (one language)."""

import copy
from typing import Any

IFI = ("mbox", "mbox_sha1sum", "openid", "account")


def _agent_ids(agent: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: agent[k] for k in ("objectType",) if k in agent}
    out.update({k: agent[k] for k in IFI if k in agent})
    if agent.get("objectType") == "Group" and "member" in agent and not any(k in agent for k in IFI):
        out["member"] = [_agent_ids(m) for m in agent["member"]]
    return out


def _object_ids(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return {"id": obj["id"]}
    if kind in ("Agent", "Group"):
        return _agent_ids(obj)
    if kind == "SubStatement":
        return _body_ids(obj)
    return obj


def _body_ids(st: dict[str, Any]) -> dict[str, Any]:
    out = dict(st)
    out["actor"] = _agent_ids(st["actor"])
    out["verb"] = {"id": st["verb"]["id"]}
    out["object"] = _object_ids(st["object"])
    if "authority" in st:
        out["authority"] = _agent_ids(st["authority"])
    if "context" in st:
        ctx = dict(st["context"])
        for key in ("instructor", "team"):
            if key in ctx:
                ctx[key] = _agent_ids(ctx[key])
        if "contextActivities" in ctx:
            ctx["contextActivities"] = {
                k: [{"id": a["id"]} for a in (v if isinstance(v, list) else [v])]
                for k, v in ctx["contextActivities"].items()
            }
        out["context"] = ctx
    return out


def as_ids(st: dict[str, Any]) -> dict[str, Any]:
    return _body_ids(st)


def _pick(language_map: dict[str, str], languages: list[str]) -> dict[str, str]:
    if not language_map:
        return language_map
    lowered = {k.lower(): k for k in language_map}
    for lang in languages:
        lang = lang.lower()
        if lang in lowered:
            return {lowered[lang]: language_map[lowered[lang]]}
        for k_low, k in lowered.items():
            if k_low.split("-")[0] == lang.split("-")[0]:
                return {k: language_map[k]}
    first = next(iter(language_map))
    return {first: language_map[first]}


LANGUAGE_MAPS = {"display", "name", "description"}


def _canonical(value: Any, languages: list[str], parent: str = "") -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "extensions":
                out[key] = item
            elif key in LANGUAGE_MAPS and isinstance(item, dict):
                out[key] = _pick(item, languages)
            else:
                out[key] = _canonical(item, languages, key)
        return out
    if isinstance(value, list):
        return [_canonical(item, languages, parent) for item in value]
    return value


def as_canonical(st: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    return _canonical(copy.deepcopy(st), languages)


def accept_languages(header: str | None) -> list[str]:
    """The languages of an Accept-Language header, best first."""
    if not header:
        return []
    weighted = []
    for part in header.split(","):
        lang, _sep, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if lang and lang != "*":
            weighted.append((weight, lang))
    return [lang for _w, lang in sorted(weighted, key=lambda x: -x[0])]


def shape(st: dict[str, Any], fmt: str, languages: list[str]) -> dict[str, Any]:
    if fmt == "ids":
        return as_ids(st)
    if fmt == "canonical":
        return as_canonical(st, languages)
    return st
