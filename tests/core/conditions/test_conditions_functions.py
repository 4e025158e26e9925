"""Function calls: the built-ins, caller-supplied tables, and the environment."""

from datetime import UTC, datetime, timedelta

import pytest

from cairn.core.conditions import (
    BUILTIN_FUNCTIONS,
    MISSING,
    ConditionError,
    Env,
    compile_condition,
    uses_env,
)

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def value(source: str, context: dict | None = None, **kwargs: object) -> object:
    return compile_condition(source, **kwargs).value(context or {}, now=NOW)


def test_builtin_functions_are_lower_upper_len_days_since():
    assert sorted(BUILTIN_FUNCTIONS) == ["days_since", "len", "lower", "upper"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('lower("AbC")', "abc"),
        ('upper("AbC")', "ABC"),
        ('len("abc")', 3),
        ("len([1, 2])", 2),
        ("len(a.obj)", 1),
        ('days_since("2024-05-30T00:00:00Z")', 2.0),
        ("days_since(a.when)", 0.5),
        ('days_since("2024-06-01")', 0.0),
    ],
)
def test_builtin_functions(source, expected):
    context = {"a": {"obj": {"k": 1}, "when": NOW - timedelta(hours=12)}}
    assert value(source, context) == expected


@pytest.mark.parametrize("source", ["lower(1)", "upper(null)", "len(5)", "len(true)", 'days_since("soon")'])
def test_builtin_functions_give_missing_for_unfit_arguments(source):
    assert value(source) is MISSING


def test_functions_compose_with_operators():
    context = {"profile": {"traits": {"email": "Ann@Example.COM"}, "tags": ["a", "b"]}}
    assert compile_condition(
        'lower(profile.traits.email) ends with "@example.com" and len(profile.tags) >= 2'
    ).evaluate(context)


def test_a_missing_argument_skips_the_call():
    calls = []

    def spy(x):
        calls.append(x)
        return "called"

    assert value("spy(a.missing)", functions={"spy": spy}) is MISSING
    assert calls == []


def test_caller_functions_extend_the_builtins():
    condition = compile_condition("double(a.x) == 4 and lower('A') == 'a'", functions={"double": lambda x: x * 2})
    assert condition.evaluate({"a": {"x": 2}})


def test_caller_functions_can_override_builtins():
    assert value("len('abc')", functions={"len": lambda x: 99}) == 99


def test_functions_decorated_with_uses_env_receive_context_and_now():
    seen = {}

    @uses_env
    def count_events(env: Env, event_type: str, within: timedelta) -> int:
        seen.update(now=env.now, since=env.now - within, profile=env.context["profile"]["id"])
        return 3 if event_type == "purchase" else 0

    condition = compile_condition('count_events("purchase", 30d) >= 2', functions={"count_events": count_events})
    assert condition.evaluate({"profile": {"id": "p1"}}, now=NOW)
    assert seen == {"now": NOW, "since": NOW - timedelta(days=30), "profile": "p1"}


def test_argument_count_is_checked_at_compile_time():
    def two(a, b=1):
        return a

    with pytest.raises(ConditionError) as caught:
        compile_condition("x.y == two()", functions={"two": two})
    assert caught.value.hint == "two() takes 1 to 2 arguments, 0 given"
    assert caught.value.position == 7

    def many(*values):
        return len(values)

    assert value("many(1, 2, 3)", functions={"many": many}) == 3


def test_unknown_function_fails_at_compile_time_with_its_position():
    with pytest.raises(ConditionError) as caught:
        compile_condition('profile.x == 1 and count_events("purchase") > 1')
    error = caught.value
    assert (error.message, error.position, error.end, error.column) == ("Unknown function 'count_events'", 19, 31, 20)


def test_exceptions_raised_by_a_function_propagate():
    def broken(x):
        raise RuntimeError("database down")

    condition = compile_condition("broken(1) == 1", functions={"broken": broken})
    with pytest.raises(RuntimeError, match="database down"):
        condition.evaluate({})


def test_functions_are_not_translated_to_mongo():
    condition = compile_condition('lower(profile.traits.name) == "ann"')
    assert condition.to_mongo_filter("profile") is None
