"""State, Activity Profile and Agent Profile documents (with their concurrency rules), Activities and Agents."""

import json

ACTIVITY = "http://example.com/activities/1"
AGENT = json.dumps({"mbox": "mailto:ext@example.com"})


def state_url(**more: str) -> str:
    from urllib.parse import urlencode

    return "/xapi/activities/state?" + urlencode({"activityId": ACTIVITY, "agent": AGENT, **more})


def test_state_documents_are_put_merged_listed_and_deleted(principal_lrs):
    assert principal_lrs.put(state_url(stateId="s1"), {"a": 1, "b": 1}).status_code == 204
    assert principal_lrs.post(state_url(stateId="s1"), {"b": 2, "c": 3}).status_code == 204
    got = principal_lrs.get(state_url(stateId="s1"))
    assert got.status_code == 200 and got.json() == {"a": 1, "b": 2, "c": 3}
    assert got["ETag"].startswith('"')
    assert principal_lrs.put(state_url(stateId="s2"), b"plain", content_type="text/plain").status_code == 204
    assert principal_lrs.get(state_url(stateId="s2")).content == b"plain"
    assert sorted(principal_lrs.get(state_url()).json()) == ["s1", "s2"]
    # Only JSON objects merge.
    assert principal_lrs.post(state_url(stateId="s2"), {"x": 1}).status_code == 400
    assert principal_lrs.delete(state_url(stateId="s1")).status_code == 204
    assert principal_lrs.get(state_url(stateId="s1")).status_code == 404
    assert principal_lrs.delete(state_url()).status_code == 204
    assert principal_lrs.get(state_url()).json() == []


def test_documents_refuse_bad_parameters_with_400(principal_lrs):
    assert principal_lrs.get("/xapi/activities/state", {"agent": AGENT}).status_code == 400
    assert principal_lrs.get("/xapi/activities/state", {"activityId": ACTIVITY, "agent": "x"}).status_code == 400
    assert principal_lrs.get(state_url(registration="nope")).status_code == 400
    assert principal_lrs.put(state_url(), {"a": 1}).status_code == 400


def test_profiles_follow_the_etag_concurrency_rules(principal_lrs):
    url = f"/xapi/activities/profile?activityId={ACTIVITY}&profileId=p"
    assert principal_lrs.put(url, {"v": 1}).status_code == 400  # neither If-Match nor If-None-Match
    created = principal_lrs.put(url, {"v": 1}, **{"If-None-Match": "*"})
    assert created.status_code == 204
    etag = principal_lrs.get(url)["ETag"]
    assert principal_lrs.put(url, {"v": 2}).status_code == 409
    assert principal_lrs.put(url, {"v": 2}, **{"If-None-Match": "*"}).status_code == 412
    assert principal_lrs.put(url, {"v": 2}, **{"If-Match": '"stale"'}).status_code == 412
    assert principal_lrs.put(url, {"v": 2}, **{"If-Match": etag}).status_code == 204
    assert principal_lrs.get(url).json() == {"v": 2}
    agent_url = f"/xapi/agents/profile?agent={AGENT}&profileId=p"
    assert principal_lrs.put(agent_url, {"n": 1}, **{"If-None-Match": "*"}).status_code == 204
    assert principal_lrs.get(f"/xapi/agents/profile?agent={AGENT}").json() == ["p"]


def test_documents_of_one_partner_are_not_seen_by_another(cast, partner_a_lrs, partner_b_lrs):
    assert partner_a_lrs.put(state_url(stateId="s"), {"secret": 1}).status_code == 204
    assert partner_b_lrs.get(state_url(stateId="s")).status_code == 404
    assert partner_b_lrs.get(state_url()).json() == []
    about_a = state_url(stateId="s").replace("ext%40example.com", cast.rep_a1.email.replace("@", "%40"))
    assert partner_b_lrs.put(about_a, {"x": 1}).status_code == 403


def test_activities_return_the_merged_definition_and_agents_a_person(principal_lrs):
    statement = {
        "actor": {"mbox": "mailto:ext@example.com", "name": "Ext"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": ACTIVITY, "definition": {"name": {"en-US": "One"}}},
    }
    principal_lrs.post("/xapi/statements", statement)
    statement["object"]["definition"] = {"name": {"ja-JP": "一"}}
    principal_lrs.post("/xapi/statements", statement)
    activity = principal_lrs.get("/xapi/activities", {"activityId": ACTIVITY}).json()
    assert activity["definition"]["name"] == {"en-US": "One", "ja-JP": "一"}
    person = principal_lrs.get("/xapi/agents", {"agent": AGENT}).json()
    assert person == {"objectType": "Person", "mbox": ["mailto:ext@example.com"]}
    assert principal_lrs.get("/xapi/agents").status_code == 400
