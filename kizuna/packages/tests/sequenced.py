"""A SCORM 2004 4th edition manifest with sequencing, written as authoring tools write it (imsss elements on the
organization, a cluster and its SCOs), for the sequencing tests."""

from .packages import Spec, package_zip

NS = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)


def pre(action: str, condition: str, operator: str = "noOp") -> str:
    return (
        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
        f'<imsss:ruleCondition condition="{condition}" operator="{operator}"/></imsss:ruleConditions>'
        f'<imsss:ruleAction action="{action}"/></imsss:preConditionRule></imsss:sequencingRules>'
    )


NOT_COUNTED = '<imsss:rollupRules rollupObjectiveSatisfied="false" rollupProgressCompletion="false"/>'


def item(identifier: str, title: str, sequencing: str = "") -> str:
    seq = f"<imsss:sequencing>{sequencing}</imsss:sequencing>" if sequencing else ""
    return f'<item identifier="{identifier}" identifierref="res-{identifier}"><title>{title}</title>{seq}</item>'


def manifest(body: str, *, org_sequencing: str, identifiers: list[str], collection: str = "") -> str:
    resources = "".join(
        f'<resource identifier="res-{i}" type="webcontent" adlcp:scormType="sco" href="{i}/index.html">'
        f'<file href="{i}/index.html"/><file href="{i}/sco.js"/><file href="{i}/images/logo.png"/></resource>'
        for i in identifiers
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="kizuna-seq" version="1" {NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>順番に学ぶパッケージ</title>{body}
  <imsss:sequencing>{org_sequencing}</imsss:sequencing></organization></organizations>
  <resources>{resources}</resources>
  {collection}
</manifest>"""


# The organization flows forward only and may not be chosen from; "extra" is skipped always and does not count;
# "quiz" allows one attempt.
LINEAR_BODY = (
    item("intro", "はじめに", pre("skip", "completed"))
    + item("quiz", "確認テスト", '<imsss:limitConditions attemptLimit="1"/>')
    + item("extra", "おまけ", pre("skip", "always") + NOT_COUNTED)
)
LINEAR_ORG = '<imsss:controlMode choice="false" flow="true" forwardOnly="true"/>'


def linear_zip(pages: dict[str, bytes] | None = None) -> bytes:
    ids = ["intro", "quiz", "extra"]
    spec = Spec(standard="scorm2004", scos=[(i, i, f"{i}/index.html") for i in ids])
    extra = {"imsmanifest.xml": manifest(LINEAR_BODY, org_sequencing=LINEAR_ORG, identifiers=ids).encode()}
    return package_zip(spec, extra={**extra, **(pages or {})})
