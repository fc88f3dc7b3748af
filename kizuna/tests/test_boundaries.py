"""The shape of the code holds: apps import only the layers below them, never in a cycle, and never reach
into another app's models (docs/architecture.md).

Like the isolation walk, this reads every module of production code (tests and migrations aside),
imports inside functions included, so a new reach-in fails the suite instead of surfacing in review.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]

# The base, bottom first: each may import only the ones before it.
BASE = ("ops", "accounts", "orgs", "notifications", "records", "media", "catalog")
# The features: they import the base, and another feature only without a cycle.
FEATURES = (
    "audit",
    "plain",
    "assessments",
    "scenarios",
    "coaching",
    "updates",
    "community",
    "feedback",
    "surveys",
    "packages",
    "live",
    "gamification",
    "certification",
    "learning",
    "support",
    "freshness",
    "stories",
    "pwa",
)
# The cross-cutting apps read many features; nothing below imports them.
CROSS_CUTTING = (
    "analytics",
    "kpis",
    "incentives",
    "agreements",
    "privacy",
    "api",
    "lrs",
    "cmi5",
    "demo",
    "scim",
    "sso",
)

# Where another app's model classes may be imported: to declare a foreign key, or to migrate.
MODEL_IMPORTS_ALLOWED_IN = {"models.py", "migrations"}

# Reach-ins into another app's models that are still to be replaced by the owner's selectors or services.
# This list only shrinks: a new reach-in fails the suite.
KNOWN_MODEL_REACH_INS: set[tuple[str, str]] = {
    ("agreements/emails.py", "orgs"),
    ("agreements/learning_time.py", "records"),
    ("agreements/management/commands/agreements_monthly_report.py", "orgs"),
    ("agreements/selectors.py", "orgs"),
    ("agreements/services.py", "catalog"),
    ("agreements/services.py", "orgs"),
    ("analytics/selectors.py", "orgs"),
    ("analytics/views.py", "orgs"),
    ("assessments/forms.py", "catalog"),
    ("assessments/projections.py", "records"),
    ("assessments/selectors/analysis.py", "catalog"),
    ("assessments/selectors/studio.py", "catalog"),
    ("catalog/services.py", "orgs"),
    ("certification/forms.py", "catalog"),
    ("coaching/forms.py", "orgs"),
    ("coaching/projections.py", "records"),
    ("coaching/services/roleplays.py", "orgs"),
    ("community/selectors.py", "orgs"),
    ("demo/agreements.py", "agreements"),
    ("demo/agreements.py", "catalog"),
    ("demo/agreements.py", "orgs"),
    ("demo/assessments.py", "assessments"),
    ("demo/assessments.py", "catalog"),
    ("demo/certification.py", "certification"),
    ("demo/coaching.py", "coaching"),
    ("demo/coaching.py", "orgs"),
    ("demo/community.py", "catalog"),
    ("demo/feedback.py", "catalog"),
    ("demo/gamification.py", "catalog"),
    ("demo/gamification.py", "gamification"),
    ("demo/kpis.py", "kpis"),
    ("demo/kpis.py", "orgs"),
    ("demo/live.py", "live"),
    ("demo/live.py", "orgs"),
    ("demo/scenarios.py", "catalog"),
    ("demo/scenarios.py", "orgs"),
    ("demo/services.py", "orgs"),
    ("demo/surveys.py", "orgs"),
    ("demo/surveys.py", "surveys"),
    ("demo/updates.py", "catalog"),
    ("demo/updates.py", "orgs"),
    ("gamification/projections.py", "records"),
    ("gamification/selectors.py", "orgs"),
    ("kpis/effect.py", "orgs"),
    ("kpis/projections.py", "records"),
    ("kpis/rollups.py", "orgs"),
    ("kpis/selectors.py", "orgs"),
    ("kpis/services.py", "orgs"),
    ("kpis/talent.py", "orgs"),
    ("kpis/views.py", "orgs"),
    ("learning/reminders.py", "catalog"),
    ("learning/selectors.py", "records"),
    ("live/forms.py", "orgs"),
    ("lrs/people.py", "orgs"),  # one hand-written query per LRS POST names the membership tables (speed)
    ("live/services.py", "orgs"),
    ("scenarios/exchange.py", "media"),
    ("scenarios/services/drafts.py", "catalog"),
    ("scenarios/services/drafts.py", "media"),
    ("scenarios/services/publishing.py", "media"),
    ("scenarios/views.py", "media"),
    ("surveys/forms.py", "orgs"),
    ("surveys/projections.py", "records"),
    ("surveys/selectors.py", "orgs"),
    ("surveys/services.py", "orgs"),
    ("updates/projections.py", "records"),
    ("updates/selectors.py", "media"),  # an update's ready video, for the phone's pack
    ("updates/selectors.py", "orgs"),
}


def _apps() -> list[str]:
    return sorted(
        p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name not in {"tests", "templates"}
    )


def _modules(app: str):
    for path in sorted((PACKAGE / app).rglob("*.py")):
        parts = path.relative_to(PACKAGE / app).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, parts


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Return the ids of the import nodes under `if TYPE_CHECKING:`: annotations only, nothing runs them."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}:
            for child in node.body:
                for inner in ast.walk(child):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        found.add(id(inner))
    return found


def _imported(path: Path, parts: tuple[str, ...], app: str):
    """Yield (line, dotted module, for types only) for every import in the file, relative ones resolved."""
    package = ["kizuna", app, *parts[:-1]]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = _type_checking_only(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, id(node) in typing_only
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield node.lineno, module, id(node) in typing_only
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}", id(node) in typing_only


def _imports() -> dict[str, dict[str, list[str]]]:
    """{app: {other app: ["path:line module", ...]}} over production code."""
    apps = set(_apps())
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app in apps:
        for path, parts in _modules(app):
            seen = set()
            for line, module, typing_only in _imported(path, parts, app):
                bits = module.split(".")
                if len(bits) < 2 or bits[0] != "kizuna" or bits[1] not in apps or bits[1] == app:
                    continue
                if (line, bits[1]) in seen and not (len(bits) > 2 and bits[2] == "models"):
                    continue
                seen.add((line, bits[1]))
                found[app][bits[1]].append(f"{'/'.join(parts)}:{line} {module}{' (types)' if typing_only else ''}")
    return found


def _rank(app: str) -> tuple[int, int]:
    if app in BASE:
        return 0, BASE.index(app)
    if app in FEATURES:
        return 1, 0
    return 2, 0


def test_every_app_has_a_layer():
    assert set(_apps()) == set(BASE) | set(FEATURES) | set(CROSS_CUTTING)


def test_no_app_imports_a_layer_above_it():
    upward = []
    for app, targets in _imports().items():
        for target, where in targets.items():
            if _rank(target) > _rank(app):  # features (and cross-cutting apps) share one rank: peers may import
                upward.append(f"{app} -> {target}: {where[:3]}")
    assert not upward, "imports against the layers:\n" + "\n".join(sorted(upward))


def test_there_is_no_cycle_between_apps():
    graph = {app: set(targets) for app, targets in _imports().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for target in graph.get(app, ()):
            if target not in index:
                visit(target)
                low[app] = min(low[app], low[target])
            elif target in stack:
                low[app] = min(low[app], index[target])
        if low[app] == index[app]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == app:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    imports = _imports()
    detail = [
        f"{a} -> {b}: {imports[a][b][:2]}" for cycle in cycles for a in cycle for b in cycle if b in imports.get(a, {})
    ]
    assert not cycles, f"import cycles between apps: {cycles}\n" + "\n".join(detail)


def test_no_app_reaches_into_another_apps_models():
    reach_ins = set()
    where = defaultdict(list)
    for app, targets in _imports().items():
        for target, places in targets.items():
            for place in places:
                path, module = place.split(" ", 1)
                if module.endswith(" (types)"):
                    continue  # a model class named in annotations only
                if module.split(".")[2:3] != ["models"]:
                    continue
                if path.split("/")[0] in MODEL_IMPORTS_ALLOWED_IN or path.split(":")[0] in MODEL_IMPORTS_ALLOWED_IN:
                    continue
                file = f"{app}/{path.split(':')[0]}"
                reach_ins.add((file, target))
                where[(file, target)].append(place)
    new = sorted(reach_ins - KNOWN_MODEL_REACH_INS)
    assert not new, "use the owner's selectors or services instead of its models:\n" + "\n".join(
        f"{file} -> {target}.models ({where[(file, target)][0]})" for file, target in new
    )
    gone = sorted(KNOWN_MODEL_REACH_INS - reach_ins)
    assert not gone, f"these reach-ins are gone: remove them from KNOWN_MODEL_REACH_INS: {gone}"


@pytest.mark.parametrize("app", BASE)
def test_a_base_app_imports_nothing_above_the_base(app):
    above = {target: where for target, where in _imports().get(app, {}).items() if target not in BASE}
    assert not above, f"{app} imports {above}"
