"""MongoDB filters: the exact shapes, what is left untranslated, and agreement with evaluate.

The agreement tests run each filter through a small matcher written here that
follows MongoDB's documented semantics for the operators the translator emits
(type brackets, null matching missing fields, array fields matching by element).
"""

import random
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cairn.core.conditions import compile_condition

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
NEVER = {"_id": {"$in": []}}


def mongo(source: str, root: str = "profile", **kwargs: Any) -> dict | None:
    return compile_condition(source).to_mongo_filter(root, now=NOW, **kwargs)


# --- shapes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("profile.traits.age >= 18", {"traits.age": {"$gte": 18}}),
        ("18 < profile.traits.age", {"traits.age": {"$gt": 18}}),
        ('profile.traits.city == "Paris"', {"traits.city": "Paris"}),
        ("profile.traits.vip == true", {"traits.vip": True}),
        ("profile.traits.vip", {"traits.vip": True}),
        ('profile.traits.city != "Paris"', {"traits.city": {"$ne": "Paris", "$exists": True}}),
        ("profile.traits.phone == null", {"traits.phone": {"$eq": None, "$exists": True}}),
        ("profile.traits.phone != null", {"traits.phone": {"$ne": None, "$exists": True}}),
        ("profile.traits.age > -1.5 * 2", {"traits.age": {"$gt": -3.0}}),
        ('profile.traits["first name"] == "Ann"', {"traits.first name": "Ann"}),
        ("profile.traits.email exists", {"traits.email": {"$exists": True}}),
        ("profile.traits.email not exists", {"traits.email": {"$exists": False}}),
        ("not profile.traits.email exists", {"$nor": [{"traits.email": {"$exists": True}}]}),
        ('profile.traits.country in ["FR", "DE"]', {"traits.country": {"$in": ["FR", "DE"]}}),
        ("profile.traits.country in [null, 1]", {"traits.country": {"$in": [None, 1], "$exists": True}}),
        ('profile.traits.country not in ["FR"]', {"traits.country": {"$nin": ["FR"], "$exists": True}}),
        ("1 in profile.scores", {"scores": {"$elemMatch": {"$eq": 1}}}),
        ('profile.traits.email starts with "ann."', {"traits.email": {"$regex": "^ann\\."}}),
        ('profile.traits.email ends with ".com"', {"traits.email": {"$regex": "\\.com(?![\\s\\S])"}}),
        ('profile.traits.email istarts with "A"', {"traits.email": {"$regex": "^A", "$options": "i"}}),
        ('profile.traits.email icontains "x+y"', {"traits.email": {"$regex": "x\\+y", "$options": "i"}}),
        ('profile.traits.email matches "^a.*@x$"', {"traits.email": {"$regex": "^a.*@x$"}}),
        (
            "profile.stats.last_seen > now - 7d",
            {"stats.last_seen": {"$gt": datetime(2024, 5, 25, 12, 0, tzinfo=UTC)}},
        ),
        (
            'profile.stats.last_seen == "2024-01-01"',
            {"stats.last_seen": {"$in": ["2024-01-01", datetime(2024, 1, 1, tzinfo=UTC)]}},
        ),
        (
            "profile.traits.age >= 18 and profile.traits.age < 65",
            {"$and": [{"traits.age": {"$gte": 18}}, {"traits.age": {"$lt": 65}}]},
        ),
        (
            "profile.traits.vip or profile.traits.age > 60 or profile.traits.age < 18",
            {"$or": [{"traits.vip": True}, {"traits.age": {"$gt": 60}}, {"traits.age": {"$lt": 18}}]},
        ),
        (
            "not (profile.traits.vip or profile.traits.age > 60)",
            {"$nor": [{"traits.vip": True}, {"traits.age": {"$gt": 60}}]},
        ),
        ("not not profile.traits.vip", {"traits.vip": True}),
        ("true", {}),
        ("1 > 2", NEVER),
        ("profile.traits.vip and 1 < 2", {"traits.vip": True}),
        ("profile.traits.vip or 1 > 2", {"traits.vip": True}),
        ("profile.traits.vip or true", {}),
        ("profile.traits.age > 1 / 0", NEVER),
        ("profile.traits.age != 1 / 0", NEVER),
    ],
)
def test_translations(source, expected):
    assert mongo(source) == expected


def test_membership_in_a_list_field_also_covers_substrings_of_a_string_field():
    assert mongo('"vip" in profile.tags') == {
        "$or": [
            {"tags": "vip"},
            {"$and": [{"tags": {"$regex": "vip"}}, {"$nor": [{"tags": {"$type": "array"}}]}]},
        ]
    }
    assert mongo('profile.tags contains "vip"') == mongo('"vip" in profile.tags')


def test_negated_word_operators_require_the_field():
    assert mongo('profile.traits.email not starts with "a"') == {
        "$and": [{"traits.email": {"$exists": True}}, {"$nor": [{"traits.email": {"$regex": "^a"}}]}]
    }


def test_other_roots_use_their_own_fields():
    assert mongo('event.type == "purchase"', root="event") == {"type": "purchase"}
    assert mongo('session.utm.source == "ads"', root="session") == {"utm.source": "ads"}


def test_field_map_renames_fields():
    renamed = mongo("profile.traits.age > 1 and profile.tags exists", field_map=lambda name: f"data.{name}")
    assert renamed == {"$and": [{"data.traits.age": {"$gt": 1}}, {"data.tags": {"$exists": True}}]}


def test_field_map_can_refuse_a_field():
    assert mongo("profile.secret == 1", field_map=lambda name: None if name == "secret" else name) is None


def test_now_defaults_to_the_current_time():
    before = datetime.now(UTC) - timedelta(days=1, seconds=1)
    translated = compile_condition("profile.seen > now - 1d").to_mongo_filter("profile")
    assert translated is not None
    assert translated["seen"]["$gt"] >= before


@pytest.mark.parametrize(
    "source",
    [
        'lower(profile.traits.name) == "ann"',
        "profile.traits.age > profile.traits.min_age",
        "profile.traits.age + 1 > 18",
        "-profile.traits.age < 0",
        'event.type == "purchase"',
        'profile.traits.age > 18 and event.type == "purchase"',
        "not event.x exists",
        "profile.items[0] == 1",
        'profile.traits["a.b"] == 1',
        'profile["$where"] == 1',
        "profile == 1",
        "profile.traits.wait > 10m",
        "profile.tags == [1, 2]",
        "profile.traits.name in 'Alice'",
        '"2024-01-01" in profile.dates',
        "[1] in profile.lists",
        "profile.traits.email matches profile.traits.pattern",
        "profile.traits.n == 99999999999999999999",
        "len(profile.tags) exists",
    ],
)
def test_untranslatable_conditions_give_none(source):
    assert mongo(source) is None


# --- a tiny MongoDB matcher ----------------------------------------------------------

ABSENT = object()


def bracket(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def field_value(document: dict, dotted: str) -> Any:
    value: Any = document
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            return ABSENT
        value = value[key]
    return value


def candidates(value: Any) -> list[Any]:
    """MongoDB matches a field against the value itself and, for arrays, each element."""
    if value is ABSENT:
        return []
    return [value, *value] if isinstance(value, list) else [value]


def same(a: Any, b: Any) -> bool:
    return bracket(a) == bracket(b) and a == b


def op_eq(value: Any, operand: Any) -> bool:
    if operand is None and value is ABSENT:
        return True
    return any(same(candidate, operand) for candidate in candidates(value))


def op_order(test: Any) -> Any:
    def apply(value: Any, operand: Any) -> bool:
        return any(
            bracket(c) == bracket(operand) and bracket(c) in ("number", "str", "datetime") and test(c, operand)
            for c in candidates(value)
        )

    return apply


def op_regex(value: Any, operand: str, flags: int) -> bool:
    return any(isinstance(c, str) and re.search(operand, c, flags) is not None for c in candidates(value))


OPERATORS = {
    "$eq": op_eq,
    "$ne": lambda value, operand: not op_eq(value, operand),
    "$gt": op_order(lambda a, b: a > b),
    "$gte": op_order(lambda a, b: a >= b),
    "$lt": op_order(lambda a, b: a < b),
    "$lte": op_order(lambda a, b: a <= b),
    "$in": lambda value, operand: any(op_eq(value, item) for item in operand),
    "$nin": lambda value, operand: not any(op_eq(value, item) for item in operand),
    "$exists": lambda value, operand: (value is not ABSENT) == operand,
    "$type": lambda value, operand: operand == "array" and isinstance(value, list),
    "$elemMatch": lambda value, operand: isinstance(value, list) and any(match_value(e, operand) for e in value),
}


def match_value(value: Any, condition: Any) -> bool:
    if not (isinstance(condition, dict) and condition and all(key.startswith("$") for key in condition)):
        return op_eq(value, condition)
    flags = re.IGNORECASE if condition.get("$options") == "i" else 0
    return all(
        op_regex(value, operand, flags) if op == "$regex" else OPERATORS[op](value, operand)
        for op, operand in condition.items()
        if op != "$options"
    )


def matches(query: dict, document: dict) -> bool:
    for key, condition in query.items():
        if key == "$and" and not all(matches(part, document) for part in condition):
            return False
        if key == "$or" and not any(matches(part, document) for part in condition):
            return False
        if key == "$nor" and any(matches(part, document) for part in condition):
            return False
        if not key.startswith("$") and not match_value(field_value(document, key), condition):
            return False
    return True


def test_the_matcher_follows_mongodb_semantics():
    document = {"tags": ["a", 1], "n": None, "x": 5}
    assert matches({"tags": "a"}, document)
    assert matches({"missing": None}, document)
    assert matches({"n": {"$eq": None}}, document)
    assert not matches({"x": {"$gt": "1"}}, document)
    assert matches({"tags": {"$gt": 0}}, document)
    assert not matches({"tags": {"$ne": 1}}, document)
    assert matches({"$nor": [{"x": 6}]}, document)
    assert not matches(NEVER, document)


# --- agreement with evaluate ---------------------------------------------------------

FIELD_VALUES: dict[str, list[Any]] = {
    "traits.age": [17, 18, 30, 18.0, 45.5, -3, 0, "30", "abc", True, False],
    "traits.name": ["Alice", "alice", "ALICE SMITH", "Bob", "", "al", "x.al", "Alice\n", 42, True],
    "traits.email": ["ann@gmail.com", "ANN@GMAIL.COM", "bob@example.org", "gmail.com", 7],
    "traits.vip": [True, False, 1, "true"],
    "traits.country": ["FR", "DE", "fr", "US", 33],
    "traits.first name": ["Ann", "ann", 3],
    "tags": [[], ["vip"], ["VIP", "new"], ["xvipx"], ["new", 1, True, None], "vip", "xvipx", 5, ["vip", "vip"]],
    "stats.last_seen": [
        NOW - timedelta(days=1),
        NOW - timedelta(days=7),
        NOW - timedelta(days=10),
        NOW + timedelta(hours=1),
        datetime(2024, 1, 1, tzinfo=UTC),
        "yesterday",
        12,
    ],
    "stats.orders": [0, 1, 5, 12.5, "5"],
}

SCALAR_PATHS = [path for path in FIELD_VALUES if path != "tags"]
LITERALS = [
    "18", "30", "18.0", "-3", "0", "45.5", '"Alice"', '"al"', '"FR"', '"30"', '""', '"2024-01-01"',
    "true", "false", "null", "now - 7d", "now", "now - 7d + 1h", "5 * 2",
]  # fmt: skip
ORDERABLE = [literal for literal in LITERALS if literal not in ("true", "false", "null")]
NEEDLES = ['"vip"', '"al"', '""', '"VIP"', "1", "true", "null", '"x.a"']
PATTERNS = ['"al"', '"AL"', '"ice"', '"gmail.com"', '"@gmail.com"', '"x.al"', '""', '"A"']
REGEXES = ['"^a"', '"l{2}"', '"(?i)ALICE"', '"com$"', '"^\\\\d+$"', '"a|b"']


def spell(path: str) -> str:
    keys = path.split(".")
    return "profile" + "".join(f'["{key}"]' if " " in key else f".{key}" for key in keys)


def random_document(rng: random.Random) -> dict:
    document: dict = {}
    for path, values in FIELD_VALUES.items():
        choice = rng.random()
        if choice < 0.2:
            continue
        holder = document
        *parents, key = path.split(".")
        for parent in parents:
            holder = holder.setdefault(parent, {})
        holder[key] = None if choice < 0.3 else rng.choice(values)
    if rng.random() < 0.05:
        document["traits"] = "not an object"
    return document


def random_atom(rng: random.Random) -> str:
    path = spell(rng.choice(SCALAR_PATHS))
    kind = rng.randrange(9)
    if kind == 0:
        op = rng.choice(["==", "!="])
        return f"{path} {op} {rng.choice(LITERALS)}"
    if kind == 1:
        op = rng.choice([">", ">=", "<", "<="])
        left, right = (path, rng.choice(ORDERABLE)) if rng.random() < 0.7 else (rng.choice(ORDERABLE), path)
        return f"{left} {op} {right}"
    if kind == 2:
        items = ", ".join(rng.sample(LITERALS, rng.randrange(4)))
        return f"{path} {rng.choice(['in', 'not in'])} [{items}]"
    if kind == 3:
        container = rng.choice(["profile.tags", path])
        return f"{rng.choice(NEEDLES)} {rng.choice(['in', 'not in'])} {container}"
    if kind == 4:
        container = rng.choice(["profile.tags", path])
        return f"{container} {rng.choice(['contains', 'not contains'])} {rng.choice(NEEDLES)}"
    if kind == 5:
        op = rng.choice(["starts with", "ends with", "istarts with", "iends with", "icontains"])
        return f"{path} {rng.choice(['', 'not '])}{op} {rng.choice(PATTERNS)}"
    if kind == 6:
        return f"{path} {rng.choice(['', 'not '])}matches {rng.choice(REGEXES)}"
    if kind == 7:
        return f"{rng.choice([path, 'profile.tags', 'profile.traits'])} {rng.choice(['exists', 'not exists'])}"
    return rng.choice([path, "profile.traits.vip", "true", "false", "1 < 2"])


def random_condition(rng: random.Random, depth: int = 0) -> str:
    if depth >= 3 or rng.random() < 0.4:
        return random_atom(rng)
    kind = rng.randrange(3)
    if kind == 0:
        return f"not ({random_condition(rng, depth + 1)})"
    parts = [random_condition(rng, depth + 1) for _ in range(rng.randrange(2, 4))]
    return "(" + f" {['and', 'or'][kind - 1]} ".join(parts) + ")"


DOCUMENTS = [random_document(random.Random(seed)) for seed in range(50)] + [
    {},
    {"traits": {}, "stats": {}},
    {"traits": {"age": None, "name": None}, "tags": None},
]


def assert_agreement(source: str) -> None:
    condition = compile_condition(source)
    query = condition.to_mongo_filter("profile", now=NOW)
    assert query is not None, source
    for document in DOCUMENTS:
        expected = condition.evaluate({"profile": document}, now=NOW)
        assert matches(query, document) == expected, (source, query, document)


@pytest.mark.parametrize(
    "source",
    [
        "profile.traits.age >= 18",
        "profile.traits.age != 18",
        'profile.traits.age != "30"',
        "profile.traits.age == null",
        "profile.traits.age != null",
        "profile.traits.vip",
        "not profile.traits.vip",
        '"vip" in profile.tags',
        '"vip" not in profile.tags',
        "1 in profile.tags",
        "null in profile.tags",
        'profile.traits.name contains "al"',
        'profile.traits.name not contains "al"',
        'profile.traits.country in ["FR", "DE", null]',
        'profile.traits.country not in ["FR", 33]',
        "profile.stats.last_seen > now - 7d",
        "profile.stats.last_seen <= now - 7d",
        'profile.stats.last_seen == "2024-01-01"',
        'profile.stats.last_seen != "2024-01-01T00:00:00Z"',
        'profile.stats.last_seen >= "2024-01-01"',
        'profile.stats.last_seen in ["2024-01-01", "x"]',
        'profile.traits.name ends with "al"',
        'profile.traits.name iends with "ICE"',
        'profile.traits.name istarts with "al"',
        'profile.traits.email icontains "GMAIL.COM"',
        'profile.traits.name not matches "^A"',
        'profile.traits["first name"] == "Ann"',
        "profile.traits exists and profile.traits.age not exists",
        "not (profile.traits.age > 18 or profile.tags exists)",
    ],
)
def test_filters_agree_with_evaluate(source):
    assert_agreement(source)


def test_filters_agree_with_evaluate_on_random_conditions():
    rng = random.Random(20240601)
    for _ in range(200):
        assert_agreement(random_condition(rng))


EMITTED = {"$and", "$or", "$nor", "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists"}
EMITTED |= {"$regex", "$options", "$elemMatch", "$type"}


def operators_in(query: Any) -> set[str]:
    if isinstance(query, dict):
        return {key for key in query if key.startswith("$")} | {o for v in query.values() for o in operators_in(v)}
    if isinstance(query, list):
        return {o for item in query for o in operators_in(item)}
    return set()


def test_only_the_documented_operators_are_emitted():
    rng = random.Random(7)
    seen: set[str] = set()
    for _ in range(150):
        query = compile_condition(random_condition(rng)).to_mongo_filter("profile", now=NOW)
        seen |= operators_in(query)
    assert seen == EMITTED
