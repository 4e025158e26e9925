import{d as e,f as t}from"./index-DAa10q5s.js";var n=t`nodes { id type config position { x y } label } edges { fromNode fromPort toNode }`,r=t`id name eventType sourceId flowId condition enabled createdAt`,i=t`id name description deployedVersion updatedAt draft { ${n} }
  versions { version name deployedAt } rules { ${r} }`,a=t`nodeId code message hint`,o=t`step nodeId nodeType input outputs { port payload } changes ux logs error durationMs`,s=t`id flowId flowName flowVersion eventId eventType profileId dryRun status error errorCount
  startedAt durationMs steps { ${o} }`,c=t`... on InvalidInput { message errors { field message } } ... on NotFound { message id }`,l=r;async function u(){return(await e(t`{ nodeTypes {
    id version name category description docs inputs outputs configSchema plugin isStart disabled } }`)).nodeTypes}async function d(){return(await e(t`{ flows { id name description deployedVersion updatedAt } }`)).flows}async function f(n){return(await e(t`query($id: ID!) { flow(id: $id) { ${i} } }`,{id:n})).flow}function p(e){return{nodes:e.nodes.map(({id:e,type:t,config:n,position:r,label:i})=>({id:e,type:t,config:n,position:{x:Math.round(r.x),y:Math.round(r.y)},label:i??null})),edges:e.edges.map(({fromNode:e,fromPort:t,toNode:n})=>({fromNode:e,fromPort:t,toNode:n}))}}async function m(n,r=``,a){return(await e(t`
    mutation($name: String!, $description: String!, $graph: FlowGraphInput) {
      createFlow(name: $name, description: $description, graph: $graph) {
        __typename ... on FlowSaved { flow { ${i} } } ${c} } }`,{name:n,description:r,graph:a?p(a):null})).createFlow}async function h(n,r){return(await e(t`
    mutation($id: ID!, $name: String, $description: String, $graph: FlowGraphInput) {
      updateFlow(id: $id, name: $name, description: $description, graph: $graph) {
        __typename ... on FlowSaved { flow { ${i} } } ${c} } }`,{id:n,name:r.name??null,description:r.description??null,graph:r.graph?p(r.graph):null})).updateFlow}async function g(n){await e(t`mutation($id: ID!) { deleteFlow(id: $id) { __typename } }`,{id:n})}async function _(n){return(await e(t`mutation($id: ID!) { deployFlow(id: $id) {
    __typename ... on FlowDeployed { flow { ${i} } version { version } }
    ... on DeployRefused { message problems { ${a} } } ... on NotFound { message id } } }`,{id:n})).deployFlow}async function v(n){return(await e(t`query($graph: FlowGraphInput!) { checkFlowGraph(graph: $graph) { ${a} } }`,{graph:p(n)})).checkFlowGraph}async function y(n){return(await e(t`
    mutation($graph: FlowGraphInput, $event: JSON, $eventId: String, $profileId: String) {
      dryRunFlow(graph: $graph, event: $event, eventId: $eventId, profileId: $profileId) {
        __typename ... on DryRunResult { problems { ${a} } trace { ${s} } changes profile calls ux }
        ${c} } }`,{graph:p(n.graph),event:n.event??null,eventId:n.eventId||null,profileId:n.profileId||null})).dryRunFlow}async function b(n,r=20){return(await e(t`query($flowId: String, $first: Int) {
    flowTraces(flowId: $flowId, first: $first) { edges { cursor node { ${s} } }
      pageInfo { hasNextPage endCursor } } }`,{flowId:n,first:r})).flowTraces}export{_ as a,f as c,u as d,h as f,g as i,p as l,v as n,y as o,m as r,b as s,l as t,d as u};