"""Errors say what is wrong, where (offset, line, column) and what to do."""

import pytest

from cairn.core.conditions import ConditionError, compile_condition, validate_condition
from cairn.core.conditions.limits import MAX_DEPTH, MAX_PATTERN_LENGTH, MAX_SOURCE_LENGTH


def error_for(source: str, **kwargs: object) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        compile_condition(source, **kwargs)
    return caught.value


def test_error_str_names_the_token_the_place_the_expectation_and_a_hint():
    error = error_for("(a.b == 1))")
    assert str(error) == (
        "Unexpected ')' at line 1, column 11: expected an operator or the end. Hint: remove the extra ')'"
    )
    assert (error.position, error.line, error.column) == (10, 1, 11)


def test_condition_error_is_a_value_error_with_plain_data():
    error = error_for("a.b = 1")
    assert isinstance(error, ValueError)
    assert error.to_dict() == {
        "message": "Unexpected '='",
        "position": 4,
        "end": 5,
        "line": 1,
        "column": 5,
        "expected": None,
        "hint": "did you mean `==`?",
        "text": "Unexpected '=' at line 1, column 5. Hint: did you mean `==`?",
    }


@pytest.mark.parametrize(
    ("source", "position", "message", "hint"),
    [
        ("a.b = 1", 4, "Unexpected '='", "did you mean `==`?"),
        ("a.b => 1", 4, "Unexpected '=>'", "`>=`"),
        ("a.b <> 1", 4, "Unexpected '<>'", "`!=`"),
        ("a.b && c.d", 4, "Unexpected '&&'", "use `and`"),
        ("a.b || c.d", 4, "Unexpected '||'", "use `or`"),
        ("!a.b", 0, "Unexpected '!'", "use `not`"),
        ("a.b == 1 AND c.d == 2", 9, "Unexpected 'AND'", "keywords are lowercase: `and`"),
        ("a.b == True", 7, "Unexpected 'True'", "`true`"),
        ("a.b == None", 7, "Unexpected 'None'", "write `null`"),
        ("a.b is null", 4, "Unexpected 'is'", "`exists`"),
        ("a.b == 1 c.d == 2", 9, "Unexpected 'c'", "combine conditions with `and` or `or`"),
        ("event.type == purchase", 14, "Unknown name 'purchase'", 'strings need quotes: "purchase"'),
        ("a.b starts with purchase", 16, "Unknown name 'purchase'", "strings need quotes"),
        ("event.type in [purchase, 'refund']", 15, "Unknown name 'purchase'", "strings need quotes"),
        ("now.year == 2024", 3, "Unexpected '.'", "only paths have keys and indexes"),
        ("1 < a.b < 3", 8, "Unexpected '<'", "comparisons do not chain"),
        ("a.b starts 'x'", 11, "Unexpected string 'x'", "write `starts with`"),
        ("a.b not 'x'", 8, "Unexpected string 'x'", "put `not` in front"),
        ("a.b == not c.d", 7, "Unexpected 'not'", "wrap it in parentheses"),
        ("a.items.0 == 1", 8, "Unexpected '0'", "index lists with brackets: [0]"),
        ('a."odd key" == 1', 2, 'Unexpected string "odd key"', 'without the dot: ["odd key"]'),
        ("a.items[1.5] == 1", 8, "Unexpected '1.5'", "items[0]"),
        ("a.name.lower() == 'x'", 12, "Unexpected '('", "only functions can be called"),
        ("a.b == 'x", 7, "Unterminated string", "close the string with '"),
        (r'a.b == "\q"', 8, r"Unknown escape sequence '\q'", r"use \\ for a backslash"),
        ("a.b > 30x", 6, "Invalid number or duration '30x'", "`30d`"),
        ("a.b > 3days", 6, "Invalid number or duration '3days'", "s, m, h, d, w"),
        ("a.b == @x", 7, "Unexpected character '@'", "quote other keys"),
        ("a.b == $x", 7, "Unexpected '$'", "paths start with a name"),
        ("startswith(a.b)", 0, "Unexpected 'startswith'", "`starts with`"),
        ("foo(a.b)", 0, "Unknown function 'foo'", "known functions: days_since, len, lower, upper"),
        ("lowr(a.b) == 'x'", 0, "Unknown function 'lowr'", "did you mean `lower`?"),
        ("lower(a.b, 1) == 'x'", 0, "Wrong number of arguments for lower()", "lower() takes 1 argument, 2 given"),
        ("a.b matches 'ab(c'", 15, "Invalid regular expression (missing ), unterminated subpattern)", "escape"),
        ("a.b matches 5", 12, "Expected a string after 'matches'", 'put it in quotes: "5"'),
        ("a.b ends with 5", 14, "Expected a string after 'ends with'", "put it in quotes"),
        ("a.b > null", 6, "Cannot use '>' with null", "`exists` to test presence"),
        ("true <= a.b", 0, "Cannot use '<=' with true", "`==`/`!=`"),
        ("a.b in 5", 7, "Cannot look inside 5", 'in ["FR", "DE"]'),
        ("", 0, "Empty condition", "profile.traits.age >= 18"),
        ("   # only a comment", 0, "Empty condition", None),
    ],
)
def test_errors_point_at_the_offending_token_with_a_hint(source, position, message, hint):
    error = error_for(source)
    assert error.position == position
    assert error.message == message
    if hint is not None:
        assert hint in error.hint


@pytest.mark.parametrize(
    ("source", "position", "expected"),
    [
        ("a.b ==", 6, "a value after '=='"),
        ("a.b == )", 7, "a value"),
        ("(a.b == 1", 9, "')' to close the '(' at line 1, column 1"),
        ("a.b in [1, 2", 12, "',' or ']' to close the '[' at line 1, column 8"),
        ("a.b in [1 2]", 10, "',' or ']' to close the '[' at line 1, column 8"),
        ("lower(a.b", 9, "',' or ')' to close the '(' at line 1, column 6"),
        ("a.b not", 7, "`in`, `exists`, `contains`"),
        ("a.", 2, "a key name after '.'"),
        ("a[", 2, "a list index (an integer) or a quoted key"),
        ("a['x'", 5, "']' to close the '[' at line 1, column 2"),
        ("a.b and", 7, "a value"),
    ],
)
def test_errors_say_what_was_expected(source, position, expected):
    error = error_for(source)
    assert error.position == position
    assert expected in error.expected


def test_errors_on_later_lines_report_line_and_column():
    error = error_for('profile.traits.age >= 18\nand event.type = "x"')
    assert (error.line, error.column, error.position) == (2, 16, 40)


def test_unterminated_string_points_at_its_opening_quote():
    error = error_for('a.b == "abc\n"')
    assert (error.position, error.message) == (7, "Unterminated string")


def test_regex_errors_point_inside_the_pattern():
    error = error_for('a.b matches "ab[c"')
    assert error.position == 15
    assert error.column == 16


def test_uppercase_keyword_used_as_a_value_gets_a_hint():
    assert error_for("a.b == NULL").hint == "keywords are lowercase: `null`"
    assert error_for("NOT a.b").hint == "keywords are lowercase: `not`"


def test_validate_returns_no_errors_for_a_valid_condition():
    assert validate_condition('profile.traits.age >= 18 and "vip" in profile.tags') == []


def test_validate_collects_every_semantic_problem_in_source_order():
    errors = validate_condition('foo(a.b) and bar(a.c) and a.d matches "("')
    assert [error.message for error in errors] == [
        "Unknown function 'foo'",
        "Unknown function 'bar'",
        "Invalid regular expression (missing ), unterminated subpattern)",
    ]


def test_validate_reports_a_syntax_error_alone():
    errors = validate_condition("a.b == == 1")
    assert len(errors) == 1
    assert errors[0].position == 7


def test_known_roots_reject_other_roots_with_a_hint():
    error = error_for("profil.traits.age > 1", roots=["event", "profile", "session"])
    assert error.message == "Unknown name 'profil'"
    assert error.hint == "paths start with one of: event, profile, session"
    error = error_for("event.type == purchase", roots=["event"])
    assert error.hint == 'strings need quotes: "purchase"; paths start with one of: event'


def test_known_roots_allow_one_word_paths_on_either_side():
    condition = compile_condition("channel == channel", roots=["channel"])
    assert condition.evaluate({"channel": "web"})


def test_one_word_path_is_fine_on_the_left():
    assert compile_condition("flag == true").evaluate({"flag": True})


def test_source_longer_than_the_limit_is_rejected():
    error = error_for("1" * (MAX_SOURCE_LENGTH + 1))
    assert error.message.startswith("Condition is too long")


def test_source_at_the_limit_is_accepted():
    source = "1" + " + 1" * ((MAX_SOURCE_LENGTH - 10) // 4)
    assert len(source) <= MAX_SOURCE_LENGTH
    assert isinstance(compile_condition(source).value({}), int)


@pytest.mark.parametrize(
    "build",
    [
        lambda n: "(" * n + "a.b" + ")" * n,
        lambda n: "not " * n + "a.b",
        lambda n: "-" * n + "1",
        lambda n: "[" * n + "]" * n,
        lambda n: "len(" * n + "a.b" + ")" * n,
        lambda n: "(not -(" * n + "1" + "))" * n,
    ],
)
def test_nesting_deeper_than_the_limit_is_a_condition_error(build):
    error = error_for(build(MAX_DEPTH + 10))
    assert error.message == f"Condition is nested too deeply (more than {MAX_DEPTH} levels)"


@pytest.mark.parametrize(
    "build",
    [
        lambda n: "(" * n + "a.b" + ")" * n,
        lambda n: "not " * n + "a.b",
        lambda n: "len(" * n + "a.b" + ")" * n,
    ],
)
def test_nesting_within_the_limit_compiles_and_runs(build):
    condition = compile_condition(build(MAX_DEPTH - 1))
    condition.evaluate({"a": {"b": 1}})
    condition.to_mongo_filter("a")


def test_long_flat_chains_do_not_recurse():
    source = " and ".join(f"a.b{i} == {i}" for i in range(200))
    assert len(source) < MAX_SOURCE_LENGTH
    context = {"a": {f"b{i}": i for i in range(200)}}
    assert compile_condition(source).evaluate(context)
    assert compile_condition("1" + " - 1" * 900 + " == -899").evaluate({})


def test_regex_longer_than_the_limit_is_rejected():
    error = error_for(f'a.b matches "{"a" * (MAX_PATTERN_LENGTH + 1)}"')
    assert error.message.startswith("Regular expression too long")
    assert error.position == 12


def test_non_string_source_is_a_type_error():
    with pytest.raises(TypeError):
        compile_condition(42)  # type: ignore[arg-type]
