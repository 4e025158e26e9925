"""Translation of a condition into a MongoDB query filter over one root's documents.

``to_mongo_filter(node, root="profile", ...)`` turns paths under ``profile.`` into
field names (``profile.traits.age`` → ``traits.age``) and returns ``None`` as soon
as any part cannot be expressed with the same meaning: function calls, arithmetic
involving paths, two paths compared with each other, paths under another root,
list indexes, keys that are not valid MongoDB field names, durations stored in
documents.

The filter agrees with :meth:`Condition.evaluate` on every document, given two
conventions of stored data (see ``docs/conditions.md``):

* a field compared with a single value holds a single value, not an array
  (MongoDB would match an array when any element matches), and objects along a
  path are objects, not arrays of objects;
* datetimes are stored as BSON dates (the evaluator also reads ISO strings).

Operators emitted: ``$and $or $nor $eq $ne $gt $gte $lt $lte $in $nin $exists
$regex $options $elemMatch $type``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from . import _filters as f
from ._filters import Filter
from .evaluator import evaluate_node
from .functions import Env
from .nodes import And, Compare, Contains, Exists, Node, Not, Or, Path, StringMatch, is_constant
from .operators import END_OF_TEXT, match_regex
from .values import MISSING, is_list, is_number, is_truthy, iso_datetime

FieldMap = Callable[[str], str | None]

_MONGO_OPS = {">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte"}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
_INT64 = range(-(2**63), 2**63)


class _Untranslatable(Exception):
    """Raised inside the translator when part of the condition has no filter form."""


def to_mongo_filter(node: Node, *, root: str, now: datetime, field_map: FieldMap | None = None) -> Filter | None:
    """Translate ``node`` into a filter over ``root`` documents, or None if impossible."""
    try:
        return _Translator(root, now, field_map).condition(node)
    except _Untranslatable:
        return None


class _Translator:
    def __init__(self, root: str, now: datetime, field_map: FieldMap | None) -> None:
        self.root = root
        self.env = Env({}, now, MappingProxyType({}))
        self.field_map = field_map

    def condition(self, node: Node) -> Filter:
        if is_constant(node):
            return f.always() if is_truthy(evaluate_node(node, self.env)) else f.never()
        match node:
            case And(operands=operands):
                return f.and_([self.condition(operand) for operand in operands])
            case Or(operands=operands):
                return f.or_([self.condition(operand) for operand in operands])
            case Not(operand=operand):
                return f.nor(self.condition(operand))
            case Path():
                return {self.field(node): True}
            case Compare():
                return self.compare(node)
            case Contains():
                return self.contains(node)
            case StringMatch():
                return self.string_match(node)
            case Exists(operand=Path() as path, negated=negated):
                return f.exists(self.field(path), not negated)
        raise _Untranslatable

    # --- operands ------------------------------------------------------------------

    def field(self, path: Path) -> str:
        keys = path.segments
        if path.root != self.root or not keys or not all(isinstance(key, str) and _valid_key(key) for key in keys):
            raise _Untranslatable
        dotted = ".".join(str(key) for key in keys)
        name = dotted if self.field_map is None else self.field_map(dotted)
        if not name:
            raise _Untranslatable
        return name

    def constant(self, node: Node) -> Any:
        if not is_constant(node):
            raise _Untranslatable
        return evaluate_node(node, self.env)

    def path_and_constant(self, left: Node, right: Node) -> tuple[str, Any, bool]:
        """The field and the constant of a binary operator, and whether they were swapped."""
        if isinstance(left, Path):
            return self.field(left), self.constant(right), False
        if isinstance(right, Path):
            return self.field(right), self.constant(left), True
        raise _Untranslatable

    # --- operators -----------------------------------------------------------------

    def compare(self, node: Compare) -> Filter:
        field, value, swapped = self.path_and_constant(node.left, node.right)
        op = _FLIPPED[node.op] if swapped else node.op
        if value is MISSING:
            return f.never()
        if op == "==":
            return _equals(field, value)
        if op == "!=":
            return _not_equals(field, value)
        return _ordering(field, _MONGO_OPS[op], value)

    def contains(self, node: Contains) -> Filter:
        if isinstance(node.item, Path):
            field, items = self.field(node.item), self.constant(node.container)
            return _in_values(field, items, node.negated)
        if not isinstance(node.container, Path):
            raise _Untranslatable
        field, item = self.field(node.container), self.constant(node.item)
        if item is MISSING:
            return f.never()
        positive = _field_contains(field, item)
        return f.present_and_not(field, positive) if node.negated else positive

    def string_match(self, node: StringMatch) -> Filter:
        if not isinstance(node.subject, Path):
            raise _Untranslatable
        field, pattern = self.field(node.subject), self.constant(node.pattern)
        if pattern is MISSING:
            return f.never()
        positive = _regex_filter(field, node.op, pattern)
        return f.present_and_not(field, positive) if node.negated else positive


def _valid_key(key: str) -> bool:
    return bool(key) and "." not in key and not key.startswith("$") and "\0" not in key


def _stored_forms(value: Any) -> list[Any]:
    """The stored values equal to ``value``: an ISO string also equals its BSON date."""
    if value is None or isinstance(value, bool | datetime):
        return [value]
    if is_number(value):
        if (isinstance(value, int) and value not in _INT64) or value != value:  # too big for BSON, NaN
            raise _Untranslatable
        return [value]
    if isinstance(value, str):
        moment = iso_datetime(value)
        return [value] if moment is None else [value, moment]
    raise _Untranslatable


def _equals(field: str, value: Any) -> Filter:
    forms = _stored_forms(value)
    if value is None:
        return {field: {"$eq": None, "$exists": True}}
    return {field: forms[0]} if len(forms) == 1 else {field: {"$in": forms}}


def _not_equals(field: str, value: Any) -> Filter:
    forms = _stored_forms(value)
    if len(forms) == 1:
        return {field: {"$ne": forms[0], "$exists": True}}
    return {field: {"$nin": forms, "$exists": True}}


def _ordering(field: str, op: str, value: Any) -> Filter:
    if isinstance(value, timedelta):
        raise _Untranslatable
    if value is None or isinstance(value, bool) or not (is_number(value) or isinstance(value, str | datetime)):
        return f.never()
    return f.or_([{field: {op: form}} for form in _stored_forms(value)])


def _in_values(field: str, items: Any, negated: bool) -> Filter:
    """``path in [..]``: ``$in`` / ``$nin`` over the stored forms of the items."""
    if items is MISSING:
        return f.never()
    if not is_list(items):
        if isinstance(items, str):
            raise _Untranslatable
        return f.exists(field) if negated else f.never()
    forms = [form for item in items for form in _stored_forms(item)]
    if negated:
        return {field: {"$nin": forms, "$exists": True}}
    if None in forms:
        return {field: {"$in": forms, "$exists": True}}
    return {field: {"$in": forms}}


def _field_contains(field: str, item: Any) -> Filter:
    """``item in path``: the path holds a list with the item, or a string containing it."""
    if isinstance(item, str):
        if iso_datetime(item) is not None:
            raise _Untranslatable
        substring = f.and_([{field: {"$regex": re.escape(item)}}, f.not_array(field)])
        return f.or_([{field: item}, substring])
    return {field: {"$elemMatch": {"$eq": _stored_forms(item)[0]}}}


def _regex_filter(field: str, op: str, pattern: Any) -> Filter:
    if not isinstance(pattern, str) or match_regex(op, pattern) is None:
        return f.never()
    if op == "matches":
        return {field: {"$regex": pattern}}
    escaped = re.escape(pattern)
    source = {
        "starts": "^" + escaped,
        "istarts": "^" + escaped,
        "ends": escaped + END_OF_TEXT,
        "iends": escaped + END_OF_TEXT,
        "icontains": escaped,
    }[op]
    if op.startswith("i"):
        return {field: {"$regex": source, "$options": "i"}}
    return {field: {"$regex": source}}
