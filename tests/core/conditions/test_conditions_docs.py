"""The user guide stays true: its examples compile and its errors read as shown."""

import re
from pathlib import Path

import pytest

from cairn.core import conditions
from cairn.core.conditions import compile_condition, validate_condition

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "conditions.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(), flags=re.DOTALL)


def examples(language: str) -> list[str]:
    return [part.strip() for block in blocks(language) for part in block.split("\n\n") if part.strip()]


@pytest.mark.parametrize("source", examples("condition"))
def test_guide_examples_compile(source):
    compile_condition(source)


@pytest.mark.parametrize("example", examples("errors"))
def test_guide_error_examples_match_the_real_errors(example):
    source, message = example.split("\n")
    assert [str(error) for error in validate_condition(source)] == [message]


def test_package_docstring_examples_compile():
    docstring = conditions.__doc__ or ""
    first_block = docstring.split("::\n\n", 1)[1].split("\n\n", 1)[0]
    for line in first_block.splitlines():
        compile_condition(line.strip())


def test_every_public_name_is_documented():
    for name in conditions.__all__:
        obj = getattr(conditions, name)
        if callable(obj) and not isinstance(obj, type(conditions.MISSING)):
            assert obj.__doc__, name
