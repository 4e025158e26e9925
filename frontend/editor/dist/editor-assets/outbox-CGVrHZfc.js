import{d as e,f as t}from"./index-DAa10q5s.js";var n=t`id kind channel profileId purpose status attempts maxAttempts lastError payload origin
  history { at status attempt note } createdAt sentAt`;async function r(r,i=30,a){return(await e(t`
    query($status: OutboxStatus, $channel: String, $profileId: ID, $first: Int, $after: String) {
      outbox(status: $status, channel: $channel, profileId: $profileId, first: $first, after: $after) {
        edges { cursor node { ${n} } } pageInfo { hasNextPage endCursor } } }`,{status:r.status||null,channel:r.channel||null,profileId:r.profileId||null,first:i,after:a??null})).outbox}async function i(r,i=20){return(await e(t`query($id: ID!, $first: Int) {
    deliveries(profileId: $id, first: $first) { edges { node { ${n} } } } }`,{id:r,first:i})).deliveries.edges.map(e=>e.node)}async function a(n){let r=(await e(t`
    mutation($id: ID!) { retryOutboxEntry(id: $id) { __typename ... on NotRequeued { message }
      ... on NotFound { message } } }`,{id:n})).retryOutboxEntry;return r.__typename===`OutboxEntryRequeued`?`Queued again`:r.message??r.__typename}async function o(){return(await e(t`{ channels { id name description
    settings { field value source secret required description env } } }`)).channels}async function s(n,r){let i=(await e(t`
    mutation($channel: String!, $values: JSON!) { setChannelSettings(channel: $channel, values: $values) {
      __typename ... on InvalidInput { message } ... on NotFound { message } } }`,{channel:n,values:r})).setChannelSettings;return i.__typename===`ChannelSettingsSaved`?null:i.message??i.__typename}export{s as a,a as i,i as n,r,o as t};