"""SCORM packages laid out the way authoring tools export them, for the end-to-end tests.

- ``storyline_12``: SCORM 1.2 as Articulate Storyline / iSpring export it: the ADL schema files at the top, a shared
  resource with the player scripts that each SCO depends on, a launch file with a query, ``adlcp:masteryscore``
  and ``adlcp:datafromlms`` on the items, and an asset (a handout page) that never talks to the API.
- ``captivate_2004``: SCORM 2004 3rd Edition as Adobe Captivate / iSpring export it: ``xml:base`` on the
  resources, IMS Simple Sequencing with a primary objective satisfied by measure (the mastery score), item
  ``parameters``, nested items, ``adlnav`` presentation and a shared dependency.

What the SCOs do at runtime is what the tests send as scorm-again's flattened commits (the player's side is
tested in Chromium by test_browser_phone.py).
"""

import io
import zipfile

from .packages import PNG

SCHEMAS_12 = ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd")
SCHEMAS_2004 = ("imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd", "imsss_v1p0.xsd")
PAGE = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title>'
    '<script src="{up}lms/scormdriver.js"></script></head><body><h1>{title}</h1>'
    '<img src="{up}lms/logo.png" alt=""></body></html>'
)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def storyline_12(*, mastery: int = 80) -> bytes:
    """Two SCOs with a mastery score and a handout asset, as a SCORM 1.2 zip."""
    manifest = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<manifest identifier="Kizuna_Sales_Basics_SCORM12" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd
    http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd
    http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="Sales_Basics_ORG">
    <organization identifier="Sales_Basics_ORG">
      <title>価格の伝え方 (Storyline)</title>
      <item identifier="chapter_1" identifierref="res_chapter_1" isvisible="true">
        <title>第1章 価格の前に価値を</title>
        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>
        <adlcp:datafromlms>chapter=1</adlcp:datafromlms>
      </item>
      <item identifier="chapter_2" identifierref="res_chapter_2" isvisible="true">
        <title>第2章 値引きを求められたら</title>
        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>
      </item>
      <item identifier="handout" identifierref="res_handout" isvisible="true"><title>配布資料</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_chapter_1" type="webcontent" adlcp:scormtype="sco" href="ch1/index_lms.html?player=html5">
      <file href="ch1/index_lms.html"/><dependency identifierref="res_common"/>
    </resource>
    <resource identifier="res_chapter_2" type="webcontent" adlcp:scormtype="sco" href="ch2/index_lms.html">
      <file href="ch2/index_lms.html"/><dependency identifierref="res_common"/>
    </resource>
    <resource identifier="res_handout" type="webcontent" adlcp:scormtype="asset" href="handout/handout.html">
      <file href="handout/handout.html"/>
    </resource>
    <resource identifier="res_common" type="webcontent" adlcp:scormtype="asset">
      <file href="lms/scormdriver.js"/><file href="lms/logo.png"/>
    </resource>
  </resources>
</manifest>"""
    members = {"imsmanifest.xml": manifest.encode()}
    members |= {
        name: b'<?xml version="1.0"?><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>' for name in SCHEMAS_12
    }
    members["ch1/index_lms.html"] = PAGE.format(title="第1章", up="../").encode()
    members["ch2/index_lms.html"] = PAGE.format(title="第2章", up="../").encode()
    members["handout/handout.html"] = "<!doctype html><title>配布資料</title><p>価格表</p>".encode()
    members["lms/scormdriver.js"] = b"/* the authoring tool's SCORM driver */ var driver = true;"
    members["lms/logo.png"] = PNG
    return _zip(members)


def captivate_2004(*, mastery: str = "0.8") -> bytes:
    """Two SCOs in a chapter, judged by measure (mastery 0.8), as a SCORM 2004 3rd Edition zip."""
    sequencing = f"""<imsss:sequencing><imsss:objectives>
          <imsss:primaryObjective objectiveID="PRIMARYOBJ" satisfiedByMeasure="true">
            <imsss:minNormalizedMeasure>{mastery}</imsss:minNormalizedMeasure>
          </imsss:primaryObjective></imsss:objectives></imsss:sequencing>"""
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="Kizuna_Objections_SCORM2004" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="ORG-objections">
    <organization identifier="ORG-objections" adlseq:objectivesGlobalToSystem="false">
      <title>反論への応え方 (Captivate)</title>
      <item identifier="chapter" isvisible="true">
        <title>第1部</title>
        <item identifier="SCO-listen" identifierref="RES-listen" parameters="?slide=1">
          <title>まず聴く</title>{sequencing}
          <adlnav:presentation><adlnav:navigationInterface>
            <adlnav:hideLMSUI>previous</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>
        </item>
        <item identifier="SCO-answer" identifierref="RES-answer">
          <title>根拠で応える</title>{sequencing}
        </item>
      </item>
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="RES-listen" type="webcontent" adlcp:scormType="sco" xml:base="listen/" href="index.html">
      <file href="index.html"/><dependency identifierref="RES-common"/>
    </resource>
    <resource identifier="RES-answer" type="webcontent" adlcp:scormType="sco" xml:base="answer/" href="index.html">
      <file href="index.html"/><dependency identifierref="RES-common"/>
    </resource>
    <resource identifier="RES-common" type="webcontent" adlcp:scormType="asset">
      <file href="lms/scormdriver.js"/><file href="lms/logo.png"/>
    </resource>
  </resources>
</manifest>"""
    members = {"imsmanifest.xml": manifest.encode()}
    members |= {
        name: b'<?xml version="1.0"?><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>'
        for name in SCHEMAS_2004
    }
    members["content/listen/index.html"] = PAGE.format(title="まず聴く", up="../").encode()
    members["content/answer/index.html"] = PAGE.format(title="根拠で応える", up="../").encode()
    members["content/lms/scormdriver.js"] = b"/* the authoring tool's SCORM driver */ var driver = true;"
    members["content/lms/logo.png"] = PNG
    return _zip(members)
