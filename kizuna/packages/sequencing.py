"""SCORM 2004 sequencing, the practical subset of IMS Simple Sequencing that SCORM 2004 4th edition packages use.

The default organization's activity tree is read at import (``tree_from``) and kept on the package; a package
without any ``imsss:sequencing`` keeps the plain behaviour (its order, any SCO chosen freely). For a sequenced
package the server decides, from the rep's SCO states, what may be delivered:

- **control modes** (``imsss:controlMode``, defaults as the spec: choice and choiceExit true, flow and
  forwardOnly false): ``choice="false"`` on a cluster makes its children reachable only by flow; ``flow="true"``
  lets Continue/Previous move among its children (without it there is no Next button and a ``continue`` request
  is refused); ``forwardOnly`` refuses Previous and a choice of an earlier activity under it; ``choiceExit="false"``
  refuses a SCO's choice request that would leave the activity;
- **precondition rules** (``imsss:preConditionRule``) with the conditions ``satisfied``, ``objectiveStatusKnown``,
  ``completed``, ``activityProgressKnown``, ``attempted``, ``attemptLimitExceeded`` and ``always`` (``not`` and
  ``all``/``any`` combinations) and the actions ``skip`` (flow passes over it), ``disabled`` (never delivered)
  and ``hiddenFromChoice`` (not a choice target);
- **limit conditions**: ``attemptLimit`` on a SCO (a suspended attempt may still be resumed);
- **rollup** of completion and satisfaction up to the organization (``imsss:rollupRules`` with
  ``rollupObjectiveSatisfied`` / ``rollupProgressCompletion`` and rollup rules over all/any/none/atLeastCount/
  atLeastPercent of the children, or the spec's default rules); the lesson is done when the organization is
  satisfied, or completed and not failed.

Objective maps are followed inside the package: a rule condition on a referenced objective, or a primary
objective with no status of its own, reads the satisfaction of the activity whose primary objective writes that
global objective (as ADL's golf samples chain their SCOs).

Not run (ignored, so the package behaves as if they were absent): post- and exit-condition rules, global
objectives shared across packages, completion and measure in objective maps, measure conditions and measure rollup, rollup considerations (requiredFor…),
attempt limits and duration limits on clusters, ``stopForwardTraversal``, randomization, selection and delivery
controls. The README's "SCORM packages" says how each behaves.
"""

from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

CONDITIONS = {
    "satisfied",
    "objectiveStatusKnown",
    "completed",
    "activityProgressKnown",
    "attempted",
    "attemptLimitExceeded",
    "always",
}
PRE_ACTIONS = {"skip", "disabled", "hiddenFromChoice"}
ROLLUP_ACTIONS = {"satisfied", "notSatisfied", "completed", "incomplete"}
CONTROLS = {"choice": True, "choiceExit": True, "flow": False, "forwardOnly": False}
ELEMENTS = ("controlMode", "sequencingRules", "limitConditions", "rollupRules")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _children(element: Element | None, name: str) -> list[Element]:
    return [c for c in element if _local(c.tag) == name] if element is not None else []


def _attr(element: Element, name: str, default: str = "") -> str:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value.strip()
    return default


def _flag(element: Element, name: str, default: bool) -> bool:
    value = _attr(element, name).lower()
    return {"true": True, "false": False}.get(value, default)


def _conditions(parent: Element | None, kind: str) -> list[dict[str, Any]]:
    found = []
    for cond in _children(parent, kind):
        name = _attr(cond, "condition")
        # A condition we do not run (a measure test) is kept as "unknown": it never holds.
        row = {"c": name if name in CONDITIONS else "unknown", "not": _attr(cond, "operator") == "not"}
        if _attr(cond, "referencedObjective"):
            row["ref"] = _attr(cond, "referencedObjective")
        found.append(row)
    return found


def _sequencing_parts(element: Element, collections: dict[str, Element]) -> dict[str, Element]:
    """The item's sequencing elements, its own over those of the collection it refers to (IDRef)."""
    own = _child(element, "sequencing")
    if own is None:
        return {}
    shared = collections.get(_attr(own, "IDRef"))
    parts = {}
    for name in ELEMENTS:
        found = _child(own, name)
        if found is None:
            found = _child(shared, name)
        if found is not None:
            parts[name] = found
    return parts


def _objectives(element: Element, collections: dict[str, Element], node: dict[str, Any]) -> None:
    """The objective maps inside the package: which global objective the activity's primary objective writes
    (writeSatisfiedStatus), and which global objective each of its objectives reads (readSatisfiedStatus)."""
    own = _child(element, "sequencing")
    if own is None:
        return
    objectives = _child(own, "objectives")
    if objectives is None:
        objectives = _child(collections.get(_attr(own, "IDRef")), "objectives")
    writes, reads = [], {}
    for objective in [*_children(objectives, "primaryObjective"), *_children(objectives, "objective")]:
        name = _attr(objective, "objectiveID")
        primary = _local(objective.tag) == "primaryObjective"
        if primary and name:
            node["primary"] = name
        for info in _children(objective, "mapInfo"):
            target = _attr(info, "targetObjectiveID")
            if not target:
                continue
            if primary and _flag(info, "writeSatisfiedStatus", False):
                writes.append(target)
            if name and _flag(info, "readSatisfiedStatus", True):
                reads[name] = target
    if writes:
        node["writes"] = writes
    if reads:
        node["reads"] = reads


def _node(element: Element, scos: set[str], collections: dict[str, Element]) -> dict[str, Any]:
    identifier = _attr(element, "identifier")
    node: dict[str, Any] = {"id": identifier}
    if _attr(element, "identifierref") and identifier in scos:
        node["sco"] = identifier
    parts = _sequencing_parts(element, collections)
    _objectives(element, collections, node)
    mode = parts.get("controlMode")
    if mode is not None:
        controls = {key: _flag(mode, key, default) for key, default in CONTROLS.items()}
        node["controls"] = {k: v for k, v in controls.items() if v != CONTROLS[k]}
    rules = []
    for rule in _children(parts.get("sequencingRules"), "preConditionRule"):
        action_el = _child(rule, "ruleAction")
        action = _attr(action_el, "action") if action_el is not None else ""
        conditions_el = _child(rule, "ruleConditions")
        if action in PRE_ACTIONS and conditions_el is not None:
            combination = _attr(conditions_el, "conditionCombination", "all")
            rules.append(
                {"action": action, "all": combination != "any", "if": _conditions(conditions_el, "ruleCondition")}
            )
    if rules:
        node["pre"] = rules
    limits = parts.get("limitConditions")
    if limits is not None and _attr(limits, "attemptLimit").isdigit() and int(_attr(limits, "attemptLimit")) > 0:
        node["limit"] = int(_attr(limits, "attemptLimit"))
    rollup = parts.get("rollupRules")
    if rollup is not None:
        if not _flag(rollup, "rollupObjectiveSatisfied", True):
            node["noSatisfied"] = True
        if not _flag(rollup, "rollupProgressCompletion", True):
            node["noCompletion"] = True
        rollup_rules = []
        for rule in _children(rollup, "rollupRule"):
            action_el = _child(rule, "rollupAction")
            action = _attr(action_el, "action") if action_el is not None else ""
            conditions_el = _child(rule, "rollupConditions")
            if action not in ROLLUP_ACTIONS or conditions_el is None:
                continue
            try:
                count = int(_attr(rule, "minimumCount", "0"))
                percent = float(_attr(rule, "minimumPercent", "0"))
            except ValueError:
                count, percent = 0, 0.0
            rollup_rules.append(
                {
                    "action": action,
                    "set": _attr(rule, "childActivitySet", "all"),
                    "count": count,
                    "percent": percent,
                    "all": _attr(conditions_el, "conditionCombination", "any") == "all",
                    "if": _conditions(conditions_el, "rollupCondition"),
                }
            )
        if rollup_rules:
            node["rollup"] = rollup_rules
    kids = [_node(child, scos, collections) for child in _children(element, "item")]
    if kids:
        node["children"] = kids
    return node


def tree_from(manifest: Element, organization: Element, scos: set[str]) -> dict[str, Any]:
    """The organization's activity tree with its sequencing, or {} when the package declares no control modes,
    rules, limits or rollup rules."""
    collections = {}
    for collection in _children(manifest, "sequencingCollection"):
        for seq in _children(collection, "sequencing"):
            if _attr(seq, "ID"):
                collections[_attr(seq, "ID")] = seq
    # Objectives alone (a mastery score) do not make a package sequenced: its order and free choice stay.
    if not any(
        _sequencing_parts(el, collections) for el in organization.iter() if _local(el.tag) in ("item", "organization")
    ):
        return {}
    return _node(organization, scos, collections)


# --- the rep's tracking status, and what it allows -----------------------------------------------------------


@dataclass
class Status:
    attempted: bool = False
    completed: bool | None = None  # None: unknown
    satisfied: bool | None = None
    attempts: int = 0
    suspended: bool = False


def leaf_status(state: Any) -> Status:
    """A SCO's tracking status from the rep's ScoState (None: never launched)."""
    if state is None:
        return Status()
    attempts = state.attempts or (1 if state.commits or state.completion != "not attempted" else 0)
    completed = {"completed": True, "incomplete": False}.get(state.completion)
    satisfied = {"passed": True, "failed": False}.get(state.success)
    return Status(
        attempted=attempts > 0,
        completed=completed,
        satisfied=satisfied,
        attempts=attempts,
        suspended=state.exit == "suspend" and not state.is_done,
    )


class Tree:
    """A package's activity tree with one rep's status in every activity (leaves from states, clusters rolled up)."""

    def __init__(self, root: dict[str, Any], states: dict[str, Any]) -> None:
        self.root = root
        self.parent: dict[str, dict[str, Any] | None] = {}
        self.nodes: dict[str, dict[str, Any]] = {}
        self.status: dict[str, Status] = {}
        self._index(root, None)
        # Global objectives written by an activity's primary objective: target id -> that activity.
        self.writers = {t: n["id"] for n in self.nodes.values() for t in n.get("writes", [])}
        self._roll_up(root, states)
        for node in self.nodes.values():  # a primary objective that reads another's global objective
            status, target = self.status[node["id"]], node.get("reads", {}).get(node.get("primary", ""))
            if status.satisfied is None and target in self.writers and self.writers[target] != node["id"]:
                status.satisfied = self.status[self.writers[target]].satisfied

    def _index(self, node: dict[str, Any], parent: dict[str, Any] | None) -> None:
        self.nodes[node["id"]] = node
        self.parent[node["id"]] = parent
        for child in node.get("children", []):
            self._index(child, node)

    def _roll_up(self, node: dict[str, Any], states: dict[str, Any]) -> Status:
        kids = node.get("children", [])
        if not kids:
            status = leaf_status(states.get(node.get("sco", "")))
        else:
            child_status = [(kid, self._roll_up(kid, states)) for kid in kids]
            status = Status(attempted=any(s.attempted for _k, s in child_status))
            status.satisfied = self._rolled(node, child_status, "noSatisfied", ("notSatisfied", "satisfied"))
            status.completed = self._rolled(node, child_status, "noCompletion", ("incomplete", "completed"))
        self.status[node["id"]] = status
        return status

    def _rolled(self, node: dict[str, Any], kids: list, opt_out: str, actions: tuple[str, str]) -> bool | None:
        contributing = [(k, s) for k, s in kids if not k.get(opt_out)]
        if not contributing:
            return None
        rules = [r for r in node.get("rollup", []) if r["action"] in actions]
        negative, positive = actions
        if not any(r["action"] == negative for r in rules):  # the spec's default rules fill what is not given
            known = "objectiveStatusKnown" if positive == "satisfied" else "activityProgressKnown"
            rules.append({"action": negative, "set": "all", "all": False, "if": [{"c": known, "not": False}]})
        if not any(r["action"] == positive for r in rules):
            rules.append({"action": positive, "set": "all", "all": False, "if": [{"c": positive, "not": False}]})
        result = None
        for action in (negative, positive):  # satisfied / completed win over their negatives
            for rule in (r for r in rules if r["action"] == action):
                if self._child_set_holds(rule, contributing):
                    result = action == positive
        return result

    def _child_set_holds(self, rule: dict[str, Any], kids: list) -> bool:
        held = [self._holds(rule["if"], rule["all"], k, s) for k, s in kids]
        count, kind = sum(held), rule["set"]
        if kind == "any":
            return count > 0
        if kind == "none":
            return count == 0
        if kind == "atLeastCount":
            return count >= max(rule["count"], 0)
        if kind == "atLeastPercent":
            return count / len(held) >= rule["percent"]
        return count == len(held)

    @staticmethod
    def _condition(name: str, node: dict[str, Any], status: Status) -> bool:
        limit = int(node.get("limit") or 0)
        return {
            "satisfied": status.satisfied is True,
            "objectiveStatusKnown": status.satisfied is not None,
            "completed": status.completed is True,
            "activityProgressKnown": status.completed is not None,
            "attempted": status.attempted,
            "attemptLimitExceeded": limit > 0 and status.attempts >= limit,
            "always": True,
        }.get(name, False)

    def _objective_status(self, node: dict[str, Any], status: Status, ref: str | None) -> Status:
        """The status a rule condition reads: the activity's own, or that of the global objective its referenced
        objective reads (unknown when no activity of the package writes it)."""
        if not ref or ref == node.get("primary"):
            return status
        target = node.get("reads", {}).get(ref)
        writer = self.writers.get(target or "")
        if writer is None or writer not in self.status:
            return Status(attempted=status.attempted, completed=status.completed, attempts=status.attempts)
        found = self.status[writer]
        return Status(status.attempted, status.completed, found.satisfied, status.attempts, status.suspended)

    def _holds(self, conditions: list[dict[str, Any]], every: bool, node: dict[str, Any], status: Status) -> bool:
        values = [
            self._condition(c["c"], node, self._objective_status(node, status, c.get("ref"))) != c["not"]
            for c in conditions
        ]
        if not values:
            return False
        return all(values) if every else any(values)

    # -- questions the player asks --

    def controls(self, node: dict[str, Any] | None) -> dict[str, bool]:
        return {**CONTROLS, **(node or {}).get("controls", {})}

    def pre(self, node: dict[str, Any], action: str) -> bool:
        """Whether a precondition rule with this action fires on the activity."""
        status = self.status[node["id"]]
        return any(r["action"] == action and self._holds(r["if"], r["all"], node, status) for r in node.get("pre", []))

    def ancestors(self, node_id: str) -> list[dict[str, Any]]:
        """The activity's ancestors, nearest first (the organization last)."""
        found, parent = [], self.parent.get(node_id)
        while parent is not None:
            found.append(parent)
            parent = self.parent.get(parent["id"])
        return found

    def check_activity(self, node: dict[str, Any]) -> str | None:
        """Why the activity may not be delivered at all (disabled, attempt limit), or None (SB.2.2's check)."""
        for activity in [node, *self.ancestors(node["id"])]:
            if self.pre(activity, "disabled"):
                return "disabled"
        status = self.status[node["id"]]
        if node.get("limit") and status.attempts >= node["limit"] and not status.suspended:
            return "limit"
        return None

    def choice_problem(self, node_id: str, current: str | None = None) -> str | None:
        """Why a choice of this activity is refused (from the current SCO, if the request comes from one)."""
        node = self.nodes.get(node_id)
        if node is None or node is self.root:
            return "unknown"
        path = [node, *self.ancestors(node_id)]
        for activity in path:
            if self.pre(activity, "hiddenFromChoice"):
                return "hidden"
        for parent in path[1:]:
            if not self.controls(parent)["choice"]:
                return "no-choice"
        if current is not None and current in self.nodes:
            target_line = {a["id"] for a in path}
            here = [self.nodes[current], *self.ancestors(current)]
            for activity in here:
                if activity["id"] in target_line:
                    common = activity
                    break
                if not self.controls(activity)["choiceExit"]:
                    return "no-exit"
            else:
                common = self.root
            if self.controls(common)["forwardOnly"] and self._order(node_id) < self._order(current):
                return "forward-only"
        return self.check_activity(node) if not node.get("children") else None

    def _order(self, node_id: str) -> int:
        return list(self.nodes).index(node_id)

    def flow(self, from_id: str | None, forward: bool = True) -> tuple[dict[str, Any] | None, str | None]:
        """The SCO a Continue (forward) or Previous request delivers from the SCO ``from_id`` (None: start from
        the organization), as the spec's flow traversal: skipped activities are passed over, a cluster is
        entered only if it allows flow, a disabled or exhausted SCO stops it. Return (sco node, None),
        (None, "end") past the last activity, or (None, reason) when refused."""
        if from_id is None:
            return self._enter(self.root, forward)
        parent = self.parent.get(from_id)
        if parent is None or not self.controls(parent)["flow"]:
            return None, "no-flow"
        if not forward and self.controls(parent)["forwardOnly"]:
            return None, "forward-only"
        node = self.nodes[from_id]
        while True:
            sibling = self._sibling(node, forward)
            if sibling is None:
                parent = self.parent.get(node["id"])
                if parent is None or parent is self.root:
                    return None, "end" if forward else "start"
                node = parent
                continue
            controls = self.controls(self.parent[sibling["id"]])
            if not controls["flow"]:
                return None, "no-flow"
            if not forward and controls["forwardOnly"]:
                return None, "forward-only"
            if self.pre(sibling, "skip"):
                node = sibling
                continue
            found, problem = self._enter(sibling, forward)
            if problem == "skip-all":
                node = sibling
                continue
            return found, problem

    def _sibling(self, node: dict[str, Any], forward: bool) -> dict[str, Any] | None:
        parent = self.parent.get(node["id"])
        if parent is None:
            return None
        kids = parent["children"]
        i = next(i for i, k in enumerate(kids) if k is node) + (1 if forward else -1)
        return kids[i] if 0 <= i < len(kids) else None

    def enter(self, node: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
        """The SCO a choice of a cluster delivers: the flow into it (its flow control applies)."""
        found, problem = self._enter(node, True)
        return (found, problem) if problem != "skip-all" else (None, "skip-all")

    def _enter(self, node: dict[str, Any], forward: bool) -> tuple[dict[str, Any] | None, str | None]:
        if not node.get("children"):
            problem = self.check_activity(node)
            return (None, problem) if problem else (node, None)
        if not self.controls(node)["flow"]:
            return None, "no-flow"
        kids = node["children"] if forward else list(reversed(node["children"]))
        for kid in kids:
            if self.pre(kid, "skip"):
                continue
            found, problem = self._enter(kid, forward)
            if problem != "skip-all":
                return found, problem
        return None, "skip-all"

    def done_leaf(self, node: dict[str, Any]) -> bool:
        """Whether the activity is done: satisfied, or completed and not failed (ScoState.is_done's rule)."""
        status = self.status[node["id"]]
        return status.satisfied is True or (status.completed is True and status.satisfied is not False)

    def done(self) -> bool:
        """Whether the whole package is done (the organization rolled up)."""
        return self.done_leaf(self.root)


def tree_for(package: Any, states_by_sco_identifier: dict[str, Any]) -> Tree | None:
    return Tree(package.sequencing, states_by_sco_identifier) if package.sequencing else None
