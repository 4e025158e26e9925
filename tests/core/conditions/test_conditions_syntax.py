"""The grammar: literals, paths, precedence, and how the parser builds the tree."""

from datetime import timedelta

import pytest

from cairn.core.conditions import compile_condition
from cairn.core.conditions.nodes import And, Compare, Contains, Exists, Literal, Not, Or, Path, StringMatch
from cairn.core.conditions.parser import parse
from cairn.core.conditions.tokens import tokenize


def value_of(source: str, context: dict | None = None) -> object:
    return compile_condition(source).value(context or {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("42", 42),
        ("3.25", 3.25),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        ("-7", -7),
        ("- 7", -7),
        ("--7", 7),
        ('"double"', "double"),
        ("'single'", "single"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("[1, 'a', null]", [1, "a", None]),
        ("[]", []),
        ("[1, 2,]", [1, 2]),
        ("[-1, -2.5]", [-1, -2.5]),
    ],
)
def test_literals(source, expected):
    assert value_of(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("10s", timedelta(seconds=10)),
        ("15m", timedelta(minutes=15)),
        ("12h", timedelta(hours=12)),
        ("30d", timedelta(days=30)),
        ("2w", timedelta(weeks=2)),
        ("1.5h", timedelta(minutes=90)),
        ("-1d", timedelta(days=-1)),
    ],
)
def test_durations_are_a_number_and_a_unit(source, expected):
    assert value_of(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r'"say \"hi\""', 'say "hi"'),
        (r"'it\'s'", "it's"),
        (r'"a\\b"', "a\\b"),
        (r'"line\nbreak\ttab\rcr"', "line\nbreak\ttab\rcr"),
        (r'"caf\u00e9"', "café"),
        (r'"a\/b"', "a/b"),
        ('"it\'s"', "it's"),
        ("'say \"hi\"'", 'say "hi"'),
    ],
)
def test_string_escapes(source, expected):
    assert value_of(source) == expected


def test_paths_read_keys_indexes_and_quoted_keys():
    context = {
        "event": {"properties": {"items": [{"sku": "A1"}, {"sku": "B2"}], "total": 3}},
        "profile": {"traits": {"first name": "Ann", "in": "keyword key"}},
    }
    assert value_of("event.properties.items[0].sku", context) == "A1"
    assert value_of("event.properties.items[-1].sku", context) == "B2"
    assert value_of('profile.traits["first name"]', context) == "Ann"
    assert value_of("profile['traits']['first name']", context) == "Ann"
    assert value_of("profile.traits.in", context) == "keyword key"


def test_paths_lists_every_path_read_in_canonical_spelling():
    condition = compile_condition(
        'profile.traits.age >= 18 and lower(profile.traits["first name"]) == "ann"'
        " or event.properties.items[0].sku exists or profile.traits['age'] > 1"
    )
    assert condition.paths() == frozenset(
        {
            "profile.traits.age",
            'profile.traits["first name"]',
            "event.properties.items[0].sku",
        }
    )


def test_not_binds_looser_than_a_comparison():
    tree = parse("not profile.traits.age == 18")
    assert isinstance(tree, Not)
    assert isinstance(tree.operand, Compare)


def test_not_applies_to_exists_as_a_whole():
    tree = parse("not profile.traits.phone exists")
    assert isinstance(tree, Not)
    assert tree.operand == Exists(Path("profile", ("traits", "phone"), 4, 24), False, 4, 31)


def test_and_binds_tighter_than_or():
    tree = parse("a.x or b.x and c.x")
    assert isinstance(tree, Or)
    assert isinstance(tree.operands[1], And)


def test_not_binds_tighter_than_and():
    tree = parse("not a.x and b.x")
    assert isinstance(tree, And)
    assert isinstance(tree.operands[0], Not)


def test_parentheses_override_precedence():
    tree = parse("(a.x or b.x) and c.x")
    assert isinstance(tree, And)
    assert isinstance(tree.operands[0], Or)


def test_and_or_chains_are_flat():
    tree = parse("a.x and b.x and c.x and d.x")
    assert isinstance(tree, And)
    assert len(tree.operands) == 4


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 2 - 3", 5),
        ("8 / 2 / 2", 2),
        ("-2 * -3", 6),
        ("7 / 2", 3.5),
        ("1 + 2 == 3", True),
        ("2 * 3 > 5 and 1 < 2", True),
    ],
)
def test_arithmetic_precedence_and_associativity(source, expected):
    assert value_of(source) == expected


def test_word_operators_build_their_nodes():
    assert isinstance(parse("a.x in [1]"), Contains)
    assert parse("a.x not in [1]").negated is True
    assert parse("a.x contains 'b'").container == Path("a", ("x",), 0, 3)
    assert parse("a.x starts with 'b'").op == "starts"
    assert parse("a.x not ends with 'b'") == StringMatch(
        "ends", Path("a", ("x",), 0, 3), Literal("b", 18, 21), True, 0, 21
    )
    assert parse("a.x istarts with 'b'").op == "istarts"
    assert parse("a.x not exists") == Exists(Path("a", ("x",), 0, 3), True, 0, 14)


def test_comments_and_newlines_are_ignored():
    source = """
        # adults who bought recently
        profile.traits.age >= 18   # legal age
        and event.type == "purchase"
    """
    condition = compile_condition(source)
    assert condition.evaluate({"profile": {"traits": {"age": 20}}, "event": {"type": "purchase"}})


def test_hash_inside_a_string_is_not_a_comment():
    assert value_of('"#1" == "#1"') is True


def test_tokens_carry_their_positions():
    tokens = tokenize('a.b >= "x"')
    assert [(token.kind, token.text, token.position) for token in tokens] == [
        ("name", "a", 0),
        ("op", ".", 1),
        ("name", "b", 2),
        ("op", ">=", 4),
        ("string", '"x"', 7),
        ("end", "", 10),
    ]


def test_keywords_can_be_keys_after_a_dot():
    context = {"event": {"properties": {"not": 1, "and": 2, "now": 3, "exists": 4}}}
    assert compile_condition(
        "event.properties.not + event.properties.and + event.properties.now == event.properties.exists + 2"
    ).evaluate(context)
