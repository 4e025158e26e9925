"""What the demo creates in Cairn: a source for the shop, consent types, flows and rules.

Running it again (same store) finds what it made before by name and brings it up to
date instead of adding copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cairn.core.consents import ConsentType, consent_service
from cairn.core.flows import Flow, Rule
from cairn.core.models.source import EventSource
from cairn.core.runtime import Cairn

SOURCE_NAME = "Demo shop"
CONSENT_TYPES = (
    ConsentType(id="analytics", name="Statistics", description="Helps us understand how the shop is used.",
                purposes=("analytics",)),
    ConsentType(id="marketing-email", name="Offers by e-mail", description="At most one e-mail a week.",
                channels=("email",), purposes=("marketing",)),
)
CONSENT_BANNER = {
    "title": "Cookies and your data",
    "message": "We would like to measure how the shop is used and, if you agree, send you offers by e-mail.",
    "consent_types": [{"id": t.id, "label": t.name, "description": t.description} for t in CONSENT_TYPES],
}
RATING = {"title": "How was your order?", "question": "Tell us how buying from us went.", "scale": "stars",
          "ask_comment": True, "rating_id": "post-purchase"}


def _graph(*nodes: tuple[str, str, dict[str, Any]], edges: tuple[tuple[str, str, str], ...]) -> dict[str, Any]:
    return {"nodes": [{"id": node_id, "type": node_type, "config": config,
                       "position": {"x": 240 * index, "y": 0}}
                      for index, (node_id, node_type, config) in enumerate(nodes)],
            "edges": [{"from_node": a, "from_port": port, "to_node": b} for a, port, b in edges]}


FLOWS: dict[str, dict[str, Any]] = {
    "Ask for consent on the first visit": {
        "description": "Shows the consent banner on page views until the visitor has decided.",
        "graph": _graph(("start", "cairn.start", {}),
                        ("banner", "cairn.show_widget", {"widget": "cairn.consent", "config": CONSENT_BANNER}),
                        edges=(("start", "out", "banner"),)),
        "rule": {"event_type": "page-view", "condition": "profile.consents.analytics not exists"},
    },
    "Ask for a rating after a purchase": {
        "description": "Shows the satisfaction rating when an order is completed.",
        "graph": _graph(("start", "cairn.start", {}),
                        ("rating", "cairn.show_widget", {"widget": "cairn.rating", "config": RATING}),
                        edges=(("start", "out", "rating"),)),
        "rule": {"event_type": "order-completed"},
    },
    "Read the mood of rating comments": {
        "description": "Scores the sentiment of the rating's comment and keeps the last score given.",
        "graph": _graph(("start", "cairn.start", {}),
                        ("sentiment", "cairn.sentiment", {"text_path": "properties.comment"}),
                        ("last_rating", "cairn.set_trait", {"name": "last_rating", "mode": "event_path",
                                                            "event_path": "properties.score"}),
                        edges=(("start", "out", "sentiment"), ("sentiment", "out", "last_rating"),
                               ("sentiment", "error", "last_rating"))),
        "rule": {"event_type": "rating-submitted"},
    },
}
"""The demo flows by name: description, graph, and the rule that runs each."""


@dataclass(frozen=True)
class DemoSetup:
    """What the demo made: the shop's source and the deployed flows by name."""

    source: EventSource
    flows: dict[str, Flow]


async def prepare(cairn: Cairn, site_origins: list[str]) -> DemoSetup:
    """Create (or bring up to date) the demo's source, consent types, flows and rules."""
    source = await _source(cairn, site_origins)
    types = consent_service(cairn).types
    for consent_type in CONSENT_TYPES:
        if await types.get(consent_type.id) is None:
            await types.save(consent_type)
    flows = {}
    for name, spec in FLOWS.items():
        flows[name] = await _flow(cairn, name, spec, source.id)
    return DemoSetup(source=source, flows=flows)


async def _source(cairn: Cairn, site_origins: list[str]) -> EventSource:
    existing = next((s for s in await cairn.sources.list() if s.name == SOURCE_NAME), None)
    if existing is None:
        return await cairn.sources.create(SOURCE_NAME, allowed_origins=site_origins)
    origins = list(dict.fromkeys([*existing.allowed_origins, *site_origins]))
    updated = await cairn.sources.update(existing.id, allowed_origins=origins, enabled=True)
    return updated or existing


async def _flow(cairn: Cairn, name: str, spec: dict[str, Any], source_id: str) -> Flow:
    service = cairn.flows
    flow = next((f for f in await service.flows.list() if f.name == name), None)
    if flow is None:
        flow = await service.flows.create(name, spec["description"], spec["graph"])
    else:
        flow = await service.flows.update(flow.id, description=spec["description"], graph=spec["graph"])
    deployed = await service.deploy(flow.id)
    if deployed.version is None:
        problems = "; ".join(problem.message for problem in deployed.problems)
        raise RuntimeError(f"the demo flow {name!r} cannot be deployed: {problems}")
    rule = {"name": name, "flow_id": flow.id, "source_id": source_id, **spec["rule"]}
    existing: list[Rule] = await service.rules.list({"flow_id": flow.id})
    if existing:
        await service.update_rule(existing[0].id, rule)
    else:
        await service.create_rule(rule)
    return flow
