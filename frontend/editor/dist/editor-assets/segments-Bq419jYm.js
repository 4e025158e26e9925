import{d as e,f as t}from"./index-DAa10q5s.js";var n=t`id status progress entered left error`,r=t`id name description condition enabled size lastComputedAt lastError { message at }
  latestJob { ${n} }`,i=t`... on InvalidCondition { message line column expected hint }`,a=t`${i} ... on InvalidInput { message errors { field message } }
  ... on NotFound { message id }`;async function o(){return(await e(t`{ segments { ${r} } }`)).segments}async function s(n,r){return(await e(t`
    query($id: ID!, $since: DateTime) { segment(id: $id) { sizeHistory(since: $since) { at size } } }`,{id:n,since:r})).segment?.sizeHistory??[]}async function c(n){return(await e(t`
    query($condition: String!) { segmentPreview(condition: $condition, first: 5) { __typename
      ... on SegmentPreview { count exact profiles { edges { node {
        id userIds traits identifiers { kind values } firstSeen lastSeen segments } } pageInfo { hasNextPage endCursor } } }
      ${i} } }`,{condition:n})).segmentPreview}async function l(n,o){return n?(await e(t`
      mutation($id: ID!, $name: String, $description: String, $condition: String, $enabled: Boolean) {
        updateSegment(id: $id, name: $name, description: $description, condition: $condition, enabled: $enabled) {
          __typename ... on SegmentSaved { segment { ${r} } } ${a} } }`,{id:n,...o})).updateSegment:(await e(t`
    mutation($name: String!, $description: String!, $condition: String!, $enabled: Boolean!) {
      createSegment(name: $name, description: $description, condition: $condition, enabled: $enabled) {
        __typename ... on SegmentSaved { segment { ${r} } }
        ${i} ... on InvalidInput { message errors { field message } } } }`,{...o})).createSegment}async function u(n){await e(t`mutation($id: ID!) { deleteSegment(id: $id) { __typename } }`,{id:n})}async function d(n){let r=(await e(t`
    mutation($id: ID!) { recomputeSegment(id: $id) { __typename ... on InvalidCondition { message }
      ... on NotFound { message } } }`,{id:n})).recomputeSegment;return r.__typename===`SegmentRecomputing`?null:r.message??r.__typename}async function f(n,r=20){return(await e(t`
    query($id: ID!, $first: Int) { profileSegmentHistory(profileId: $id, first: $first) {
      edges { node { id segmentName change at reason } } } }`,{id:n,first:r})).profileSegmentHistory.edges.map(e=>e.node)}function p(e){return e.__typename===`InvalidCondition`?[`Line ${e.line}, column ${e.column}: ${e.message}`+(e.expected?` (expected ${e.expected})`:``),...e.hint?[e.hint]:[]]:e.__typename===`InvalidInput`?[e.message,...e.errors.map(e=>e.field?`${e.field}: ${e.message}`:e.message)]:[e.message]}export{f as a,s as c,c as i,p as n,d as o,o as r,l as s,u as t};