import{d as e,f as t}from"./index-DAa10q5s.js";var n=t`id name description required revocable expiresAfterDays channels purposes`,r=t`typeId granted state updatedAt expiresAt source`;async function i(){return(await e(t`{ consentTypes { ${n} } }`)).consentTypes}async function a(){return(await e(t`{ consentPurposes { id requiresConsent } }`)).consentPurposes}async function o(r){return(await e(t`
    mutation($input: ConsentTypeInput!) { saveConsentType(input: $input) { __typename
      ... on ConsentTypeSaved { consentType { ${n} } } ... on InvalidInput { message errors { field message } } } }`,{input:r})).saveConsentType}async function s(n){await e(t`mutation($id: ID!) { deleteConsentType(id: $id) { __typename } }`,{id:n})}async function c(n){let i=await e(t`
    query($id: ID!) { profileConsents(profileId: $id) { ${r} }
      consentHistory(profileId: $id, limit: 50) { id typeId granted previous outcome reason source at } }`,{id:n});return{current:i.profileConsents,history:i.consentHistory}}async function l(n,i,a){return(await e(t`
    mutation($profileId: ID!, $typeId: String!) { result: ${a?`grantConsent`:`revokeConsent`}(profileId: $profileId, typeId: $typeId,
      collectedVia: "editor") { __typename ... on ConsentChanged { consent { ${r} } }
      ... on ConsentRefused { message hint } ... on InvalidInput { message errors { field message } }
      ... on NotFound { message id } } }`,{profileId:n,typeId:i})).result}export{o as a,c as i,i as n,l as o,s as r,a as t};