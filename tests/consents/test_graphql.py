"""Consents in GraphQL: consent types, grants and revocations, a profile's consents and history."""

from __future__ import annotations

from cairn.core.runtime import Cairn
from tests.outbox.support import GraphQL, create_profile

SAVE = """mutation($input: ConsentTypeInput!) { saveConsentType(input: $input) {
    __typename
    ... on ConsentTypeSaved { consentType { id name required revocable expiresAfterDays channels purposes createdAt } }
    ... on InvalidInput { errors { field message } } } }"""
CHANGE = """{name}(profileId: $profileId, typeId: $typeId) {{
    __typename
    ... on ConsentChanged {{ profileId consent {{ typeId granted state source expiresAt }} }}
    ... on ConsentRefused {{ message hint }}
    ... on InvalidInput {{ errors {{ field message }} }}
    ... on NotFound {{ message }} }}"""
GRANT = "mutation($profileId: ID!, $typeId: String!) { " + CHANGE.format(name="grantConsent") + " }"
REVOKE = "mutation($profileId: ID!, $typeId: String!) { " + CHANGE.format(name="revokeConsent") + " }"


async def test_consent_types_are_managed_through_graphql(gql: GraphQL) -> None:
    saved = await gql.data(SAVE, input={"id": "newsletter", "name": "Newsletter", "channels": ["email"],
                                        "expiresAfterDays": 365})
    consent_type = saved["saveConsentType"]["consentType"]
    assert consent_type["purposes"] == ["marketing"] and consent_type["expiresAfterDays"] == 365
    assert consent_type["revocable"] and not consent_type["required"] and consent_type["createdAt"]
    await gql.data(SAVE, input={"id": "terms", "name": "Terms", "required": True, "revocable": False,
                                "purposes": ["service"]})
    listed = await gql.data("{ consentTypes { id } consentType(id: \"terms\") { required revocable } }")
    assert [item["id"] for item in listed["consentTypes"]] == ["newsletter", "terms"]
    assert listed["consentType"] == {"required": True, "revocable": False}

    invalid = await gql.data(SAVE, input={"id": "bad.id", "name": " ", "purposes": []})
    assert invalid["saveConsentType"]["__typename"] == "InvalidInput"
    assert {error["field"] for error in invalid["saveConsentType"]["errors"]} == {"id", "name", "purposes"}

    deleted = await gql.data('mutation { deleteConsentType(id: "terms") { __typename } }')
    assert deleted["deleteConsentType"]["__typename"] == "ConsentTypeDeleted"
    again = await gql.data('mutation { deleteConsentType(id: "terms") { __typename } }')
    assert again["deleteConsentType"]["__typename"] == "NotFound"


async def test_grants_and_revocations_are_recorded_and_audited(cairn: Cairn, gql: GraphQL) -> None:
    await create_profile(cairn, "p1")
    await gql.data(SAVE, input={"id": "newsletter", "name": "Newsletter", "channels": ["email"],
                                "expiresAfterDays": 30})
    await gql.data(SAVE, input={"id": "terms", "name": "Terms", "revocable": False, "purposes": ["service"]})

    granted = (await gql.data(GRANT, profileId="p1", typeId="newsletter"))["grantConsent"]
    assert granted["consent"]["granted"] and granted["consent"]["source"] == "graphql"
    assert granted["consent"]["state"] == "granted" and granted["consent"]["expiresAt"]
    check = """query($purpose: String!) { consentCheck(profileId: "p1", channel: "email", purpose: $purpose) {
        allowed code consentType } }"""
    assert (await gql.data(check, purpose="marketing"))["consentCheck"] == {
        "allowed": True, "code": "granted", "consentType": "newsletter"}

    revoked = (await gql.data(REVOKE, profileId="p1", typeId="newsletter"))["revokeConsent"]
    assert revoked["consent"] == {"typeId": "newsletter", "granted": False, "state": "revoked", "source": "graphql",
                                  "expiresAt": None}
    assert (await gql.data(check, purpose="marketing"))["consentCheck"]["code"] == "revoked"
    assert (await gql.data(check, purpose="transactional"))["consentCheck"]["code"] == "not_required"

    await gql.data(GRANT, profileId="p1", typeId="terms")
    refused = (await gql.data(REVOKE, profileId="p1", typeId="terms"))["revokeConsent"]
    assert refused["__typename"] == "ConsentRefused" and "not revocable" in refused["message"]

    unknown_type = (await gql.data(GRANT, profileId="p1", typeId="nope"))["grantConsent"]
    assert unknown_type["__typename"] == "InvalidInput" and unknown_type["errors"][0]["field"] == "typeId"
    unknown_profile = (await gql.data(GRANT, profileId="ghost", typeId="newsletter"))["grantConsent"]
    assert unknown_profile["__typename"] == "NotFound"

    data = await gql.data("""{ profileConsents(profileId: "p1") { typeId granted state }
        consentHistory(profileId: "p1") { typeId granted previous outcome source reason } }""")
    assert data["profileConsents"] == [{"typeId": "newsletter", "granted": False, "state": "revoked"},
                                       {"typeId": "terms", "granted": True, "state": "granted"}]
    assert [(h["typeId"], h["granted"], h["previous"], h["outcome"]) for h in data["consentHistory"]] == [
        ("terms", False, "granted", "refused"), ("terms", True, "missing", "applied"),
        ("newsletter", False, "granted", "applied"), ("newsletter", True, "missing", "applied")]


async def test_purposes_say_which_need_consent(gql: GraphQL) -> None:
    data = await gql.data("{ consentPurposes { id requiresConsent } }")
    purposes = {item["id"]: item["requiresConsent"] for item in data["consentPurposes"]}
    assert purposes["transactional"] is False and purposes["marketing"] is True


async def test_graphql_needs_an_admin_token(gql: GraphQL) -> None:
    response = await gql.http.post("/graphql", json={"query": "{ consentTypes { id } }"})
    assert response.status_code == 401


async def test_where_the_decision_was_collected_is_kept(cairn: Cairn, gql: GraphQL) -> None:
    await create_profile(cairn, "p1")
    await gql.data(SAVE, input={"id": "newsletter", "name": "Newsletter"})
    data = await gql.data("""mutation { grantConsent(profileId: "p1", typeId: "newsletter",
        collectedVia: "paper form", expiresAt: "2030-01-01T00:00:00+00:00") {
        ... on ConsentChanged { consent { source expiresAt } } } }""")
    assert data["grantConsent"]["consent"] == {"source": "paper form", "expiresAt": "2030-01-01T00:00:00+00:00"}
