import{d as e,f as t}from"./index-DAa10q5s.js";var n=t`id userIds identifiers { kind values } traits firstSeen lastSeen segments`,r=t`id type kind sourceId profileId sessionId properties occurredAt receivedAt`;async function i(r,i=25,a){return(await e(t`
    query($search: ProfileSearchInput, $first: Int, $after: String) {
      profiles(search: $search, first: $first, after: $after) {
        edges { cursor node { ${n} } } pageInfo { hasNextPage endCursor } } }`,{search:r,first:i,after:a??null})).profiles}async function a(r){return(await e(t`query($id: ID!) { profile(id: $id) {
    ${n} version anonymousIds stats { events visits eventTypes { type count } } interests tags consents
    mergedFrom { profileId mergedAt reason } } }`,{id:r})).profile}async function o(n,i=25,a,o){return(await e(t`
    query($id: ID!, $first: Int, $after: String, $type: String) { profile(id: $id) {
      events(first: $first, after: $after, type: $type) { edges { cursor node { ${r} } }
        pageInfo { hasNextPage endCursor } } } }`,{id:n,first:i,after:a??null,type:o||null})).profile?.events??{edges:[],pageInfo:{hasNextPage:!1,endCursor:null}}}async function s(n,r=10){return(await e(t`
    query($id: ID!, $first: Int) { profile(id: $id) { sessions(first: $first) { edges { node {
      id startedAt lastActivityAt eventCount device browser os referrer utm } } } } }`,{id:n,first:r})).profile?.sessions.edges.map(e=>e.node)??[]}async function c(n,i=20){return(await e(t`
    query($filter: EventFilterInput, $first: Int) { events(filter: $filter, first: $first) {
      edges { node { ${r} } } } }`,{filter:n,first:i})).events.edges.map(e=>e.node)}async function l(n,r){return(await e(t`query($from: DateTime, $to: DateTime) { eventTypes(from: $from, to: $to) { type count } }`,{from:n??null,to:r??null})).eventTypes}async function u(t){let n=t.slice(0,-1);if(n.length===0)return[];let r=n.map((e,t)=>`b${t}: eventTypes(from: $f${t}, to: $f${t+1}) { type count }`).join(` `),i=t.map((e,t)=>`$f${t}: DateTime`).join(`, `),a=Object.fromEntries(t.map((e,t)=>[`f${t}`,e])),o=await e(`query(${i}) { ${r} }`,a);return n.map((e,t)=>o[`b${t}`]??[])}export{o as a,c as i,u as n,s as o,a as r,i as s,l as t};