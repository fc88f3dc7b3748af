"""The xAPI terms of scenarios: published ones where they exist, our own under <site>/xapi/vocab/ otherwise."""

from kizuna.records.vocab import ADL_ACTIVITIES, ADL_VERBS, Term

# A rep starts one attempt at a published scenario version (context.registration = the attempt).
ATTEMPTED = Term(ADL_VERBS + "attempted", "挑戦した", "attempted")
# One choice at one moment: a cmi.interaction of interactionType "choice".
TYPE_INTERACTION = Term(ADL_ACTIVITIES + "cmi.interaction", "設問", "interaction")
TYPE_SCENARIO = Term("activity-types/scenario", "シナリオ", "scenario", own=True)

EXT_SCENARIO_VERSION = Term("extensions/scenario-version", "シナリオの版", "scenario version", own=True)
EXT_NODE = Term("extensions/scenario-node", "シナリオの場面", "scenario moment", own=True)
EXT_REFERENCE_MATCH = Term("extensions/reference-match", "トップ営業と同じ選択", "same choice as the top rep", own=True)
EXT_VALUE_TAGS = Term("extensions/value-tags", "行動指針", "values", own=True)
EXT_OUTCOME = Term("extensions/scenario-outcome", "商談の結果", "outcome of the conversation", own=True)
EXT_ALIGNMENT = Term("extensions/alignment", "トップ営業との一致率", "top-rep alignment", own=True)

OWN_TERMS = (
    TYPE_SCENARIO,
    EXT_SCENARIO_VERSION,
    EXT_NODE,
    EXT_REFERENCE_MATCH,
    EXT_VALUE_TAGS,
    EXT_OUTCOME,
    EXT_ALIGNMENT,
)
