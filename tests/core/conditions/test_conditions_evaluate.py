"""What conditions mean: comparisons, Missing, membership, strings, dates, booleans."""

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest

from cairn.core.conditions import MISSING, compile_condition

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
CONTEXT = {
    "profile": {
        "traits": {
            "age": 30,
            "height": 1.8,
            "name": "Alice Smith",
            "email": "alice@gmail.com",
            "vip": True,
            "phone": None,
            "first name": "Alice",
        },
        "tags": ["vip", "newsletter", 7],
        "stats": {
            "last_seen": NOW - timedelta(days=2),
            "first_seen": "2024-01-15T08:00:00Z",
            "birthday": date(1994, 6, 1),
            "naive": datetime(2024, 6, 1, 11, 0),
            "orders": 0,
        },
    },
    "event": {"type": "purchase", "properties": {"total": 120.5, "items": [{"sku": "A1", "qty": 2}]}},
    "session": {"utm": {"source": "newsletter"}},
}


def holds(source: str, context: dict | None = None) -> bool:
    return compile_condition(source).evaluate(CONTEXT if context is None else context, now=NOW)


def value(source: str, context: dict | None = None) -> object:
    return compile_condition(source).value(CONTEXT if context is None else context, now=NOW)


# --- Missing -------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["==", "!=", ">", ">=", "<", "<="])
def test_missing_paths_compare_false(op):
    assert not holds(f"profile.traits.shoe_size {op} 42")
    assert not holds(f"42 {op} profile.traits.shoe_size")


def test_missing_compares_false_even_with_null_and_itself():
    assert not holds("profile.traits.shoe_size == null")
    assert not holds("profile.traits.shoe_size == profile.traits.hat_size")
    assert not holds("profile.traits.shoe_size != profile.traits.hat_size")


@pytest.mark.parametrize(
    "source",
    [
        "profile.traits.shoe_size in [1, 2]",
        "profile.traits.shoe_size not in [1, 2]",
        '"vip" in profile.nothing',
        '"vip" not in profile.nothing',
        'profile.nothing contains "a"',
        'profile.nothing not contains "a"',
        'profile.nothing starts with "a"',
        'profile.nothing not starts with "a"',
        'profile.nothing not matches "a"',
        "profile.traits.name starts with profile.nothing",
    ],
)
def test_missing_makes_word_operators_false_even_negated(source):
    assert not holds(source)


def test_not_of_a_missing_comparison_is_true():
    assert holds("not profile.traits.shoe_size == 42")
    assert holds('not ("vip" in profile.nothing)')


def test_missing_propagates_through_paths_of_any_depth_and_type():
    assert value("profile.traits.shoe_size") is MISSING
    assert value("profile.traits.name.first") is MISSING
    assert value("unknown_root.x") is MISSING
    assert value("profile.tags.vip") is MISSING
    assert value("profile.traits[0]") is MISSING
    assert value("event.properties.items[5]") is MISSING
    assert value("event.properties.items[-2]") is MISSING
    assert value('profile.tags["0"]') is MISSING


def test_missing_is_falsy_and_prints_as_missing():
    assert not MISSING
    assert repr(MISSING) == "MISSING"


# --- exists --------------------------------------------------------------------------


def test_exists_is_true_for_present_paths_even_null():
    assert holds("profile.traits.email exists")
    assert holds("profile.traits.phone exists")
    assert not holds("profile.traits.fax exists")


def test_not_exists_postfix_and_prefix_not():
    assert holds("profile.traits.fax not exists")
    assert holds("not profile.traits.fax exists")
    assert not holds("profile.traits.email not exists")
    assert not holds("not profile.traits.email exists")


def test_exists_works_on_indexes_and_function_results():
    assert holds("event.properties.items[0].sku exists")
    assert holds("event.properties.items[1] not exists")
    assert holds("lower(profile.traits.age) not exists")


# --- comparisons ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "profile.traits.age == 30",
        "profile.traits.age == 30.0",
        "profile.traits.age != 31",
        "profile.traits.age > 18",
        "profile.traits.age >= 30",
        "profile.traits.age < 30.5",
        "profile.traits.age <= 30",
        "18 < profile.traits.age",
        "profile.traits.height > 1.75",
        'profile.traits.name == "Alice Smith"',
        'profile.traits.name > "Alice"',
        'profile.traits.name < "Bob"',
        "profile.traits.vip == true",
        "profile.traits.vip != false",
        "profile.traits.phone == null",
        "profile.traits.age != null",
        "profile.tags == ['vip', 'newsletter', 7]",
        "event.properties.items[0] == event.properties.items[0]",
    ],
)
def test_comparisons_that_hold(source):
    assert holds(source)


@pytest.mark.parametrize(
    "source",
    [
        'profile.traits.age == "30"',
        'profile.traits.age > "18"',
        "profile.traits.vip == 1",
        "profile.traits.age == true",
        "profile.traits.phone == false",
        "profile.traits.phone == 0",
        "profile.traits.phone >= 0",
        "profile.traits.name > 3",
        "profile.tags > 3",
        "profile.tags == ['vip']",
        "profile.stats.orders == false",
        "profile.traits.name == profile.stats.last_seen",
    ],
)
def test_comparing_incompatible_types_is_false_and_never_raises(source):
    assert not holds(source)


def test_different_types_are_unequal():
    assert holds('profile.traits.age != "30"')
    assert holds("profile.traits.vip != 1")
    assert holds("profile.traits.phone != false")


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "profile.stats.last_seen > now - 7d",
        "profile.stats.last_seen < now - 1d",
        "profile.stats.last_seen <= now",
        "profile.stats.last_seen == now - 2d",
        "profile.stats.first_seen < now - 30d",
        "profile.stats.first_seen > now - 26w",
        'profile.stats.first_seen > "2024-01-01"',
        'profile.stats.last_seen > "2024-05-01"',
        'profile.stats.last_seen == "2024-05-30T12:00:00Z"',
        "profile.stats.birthday < now - 1000d",
        'profile.stats.birthday == "1994-06-01"',
        "profile.stats.naive == now - 1h",
        "now - profile.stats.last_seen > 1d",
        "now - profile.stats.last_seen == 48h",
        "profile.stats.first_seen + 30d < now",
        "profile.stats.last_seen + 3d > now",
        "now + 1h > now",
        "now - 15m < now - 10s",
        "2w == 14d",
        "30d / 2 == 15d",
        "2 * 12h == 1d",
        "1d / 1h == 24",
    ],
)
def test_datetime_comparisons_that_hold(source):
    assert holds(source)


def test_two_iso_strings_compare_as_strings():
    context = {"a": {"x": "2024-01-15T10:00:00+02:00", "y": "2024-01-15T09:00:00Z"}}
    assert holds("a.x > a.y", context)


def test_strings_that_are_not_dates_do_not_compare_with_datetimes():
    context = {"a": {"when": "yesterday", "day": "2024-13-45"}}
    for op in ("==", "!=", ">", "<"):
        assert holds(f"a.when {op} now", context) is (op == "!=")
        assert holds(f"a.day {op} now", context) is (op == "!=")


def test_now_defaults_to_the_current_time():
    condition = compile_condition('now > "2020-01-01" and now < "2200-01-01"')
    assert condition.evaluate({})


def test_naive_now_is_taken_as_utc():
    condition = compile_condition('now == "2024-06-01T12:00:00Z"')
    assert condition.evaluate({}, now=datetime(2024, 6, 1, 12, 0))


# --- membership ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        'profile.traits.name in ["Bob", "Alice Smith"]',
        "profile.traits.age in [18, 30]",
        "profile.traits.age in [30.0]",
        "profile.traits.age not in [18, 21]",
        '"vip" in profile.tags',
        "7 in profile.tags",
        '"gold" not in profile.tags',
        'profile.tags contains "newsletter"',
        'profile.tags not contains "gold"',
        '"abc" in "xabcx"',
        '"Smith" in profile.traits.name',
        'profile.traits.name contains "ice S"',
        'profile.traits.name not contains "Bob"',
        "session.utm.source in profile.tags",
        "profile.traits.phone in [null, 1]",
        "profile.traits.age not in []",
    ],
)
def test_membership_that_holds(source):
    assert holds(source)


@pytest.mark.parametrize(
    "source",
    [
        "profile.traits.vip in [1]",
        "1 in [true]",
        '"30" in [30]',
        "profile.traits.age in []",
        '"VIP" in profile.tags',
        '"vi" in profile.tags',
        '7 in "a7"',
        '"a" in profile.traits',
        "profile.traits.age in profile.traits.age",
    ],
)
def test_membership_compares_like_equality(source):
    assert not holds(source)


# --- string operators ----------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        'profile.traits.email starts with "alice@"',
        'profile.traits.email ends with "@gmail.com"',
        'profile.traits.email not starts with "bob"',
        'profile.traits.email not ends with ".org"',
        'profile.traits.email matches "^[a-z]+@gmail\\\\.com$"',
        'profile.traits.email matches "gmail"',
        'profile.traits.email not matches "^bob"',
        'profile.traits.email icontains "GMAIL"',
        'profile.traits.email not icontains "yahoo"',
        'profile.traits.email istarts with "ALICE"',
        'profile.traits.email iends with "GMAIL.COM"',
        'profile.traits.name matches "(?i)^alice"',
        'profile.traits.email ends with ""',
        "profile.traits.email matches profile.stats.pattern",
        'profile.traits.age not starts with "3"',
    ],
)
def test_string_operators_that_hold(source):
    context = {**CONTEXT, "profile": {**CONTEXT["profile"], "stats": {"pattern": "@gmail"}}}
    assert holds(source, context)


@pytest.mark.parametrize(
    "source",
    [
        'profile.traits.email starts with "Alice"',
        'profile.traits.email ends with "gmail"',
        'profile.traits.age starts with "3"',
        'profile.tags starts with "vip"',
        'profile.tags icontains "VIP"',
        'profile.traits.email matches "^gmail"',
        "profile.traits.email matches profile.stats.bad_pattern",
        "profile.traits.email matches profile.stats.long_pattern",
        'profile.traits.email iends with "@gmail"',
        'profile.traits.email istarts with "lice"',
    ],
)
def test_string_operators_that_do_not_hold(source):
    stats = {"bad_pattern": "(", "long_pattern": "a" * 10_000}
    context = {**CONTEXT, "profile": {**CONTEXT["profile"], "stats": stats}}
    assert not holds(source, context)


def test_ends_with_does_not_accept_a_trailing_newline():
    assert not holds('a.x ends with "abc"', {"a": {"x": "abc\n"}})
    assert not holds('a.x iends with "ABC"', {"a": {"x": "abc\n"}})


# --- booleans ------------------------------------------------------------------------


def test_and_or_not_combine_conditions():
    assert holds('profile.traits.age >= 18 and event.type == "purchase"')
    assert holds('profile.traits.age < 18 or event.type == "purchase"')
    assert not holds('profile.traits.age < 18 and event.type == "purchase"')
    assert holds('not (profile.traits.age < 18 or event.type == "refund")')


def test_a_bare_value_holds_only_when_it_is_true():
    assert holds("profile.traits.vip")
    assert not holds("profile.traits.name")
    assert not holds("profile.traits.age")
    assert not holds("profile.tags")
    assert not holds("profile.traits.missing")
    assert holds("not profile.traits.missing")
    assert holds("profile.traits.vip and true")
    assert not holds("profile.traits.age and true")


def test_boolean_operators_return_booleans():
    assert value("profile.traits.age or profile.traits.name") is False
    assert value("not profile.traits.age") is True


# --- arithmetic ----------------------------------------------------------------------


def test_arithmetic_on_numbers():
    assert value("event.properties.total * 2 - 1") == 240.0
    assert holds("event.properties.items[0].qty * 10 == 20")
    assert holds("-event.properties.total < 0")


@pytest.mark.parametrize(
    "source",
    [
        "profile.traits.age / 0",
        "profile.traits.age / profile.stats.orders",
        "10d / 0",
        "1d / (1d - 24h)",
        'profile.traits.name + "x"',
        "profile.traits.age + true",
        "profile.traits.age + profile.traits.missing",
        "now + now",
        "now * 2",
        "profile.traits.name - 1d",
        "-profile.traits.name",
        "-now",
        "now + 9999999d",
    ],
)
def test_meaningless_arithmetic_is_missing_not_an_exception(source):
    assert value(source) is MISSING


def test_not_a_number_is_never_ordered():
    for op in (">", ">=", "<", "<=", "=="):
        assert not holds(f"1e999 - 1e999 {op} 0")


def test_division_by_zero_makes_the_comparison_false():
    assert not holds("profile.traits.age / 0 > 1")
    assert not holds("profile.traits.age / 0 != 1")


# --- the Condition object ------------------------------------------------------------


def test_value_returns_plain_values():
    assert value("profile.traits.age + 1") == 31
    assert value("profile.tags") == ["vip", "newsletter", 7]
    assert value("[profile.traits.age, 'x']") == [30, "x"]
    assert value("now - 1d") == NOW - timedelta(days=1)


def test_condition_is_immutable_and_keeps_its_source():
    condition = compile_condition("profile.traits.age > 18")
    assert condition.source == "profile.traits.age > 18"
    assert repr(condition) == "Condition('profile.traits.age > 18')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        condition.source = "true"  # type: ignore[misc]
    with pytest.raises(TypeError):
        condition.functions["evil"] = print  # type: ignore[index]


def test_condition_is_reusable_across_threads():
    condition = compile_condition('profile.traits.age >= 18 and "vip" in profile.tags')
    contexts = [{"profile": {"traits": {"age": age}, "tags": ["vip"]}} for age in range(100)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(condition.evaluate, contexts))
    assert results == [age >= 18 for age in range(100)]


def test_context_can_hold_any_mapping_and_tuples():
    class Lookup(dict):
        pass

    context = {"profile": Lookup(traits=Lookup(age=20)), "event": {"items": ("a", "b")}}
    assert holds('profile.traits.age == 20 and "b" in event.items and event.items[1] == "b"', context)
