from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def sample():
    """The path of a sample file by name."""
    return lambda name: SAMPLES / name


@pytest.fixture
def sample_text(sample):
    return lambda name: sample(name).read_text(encoding="utf-8")


def line_of(text, fragment):
    """The 1-based line of the first line of ``text`` containing ``fragment``."""
    for number, line in enumerate(text.split("\n"), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not found")


def errors_as_pairs(result):
    return [(error.line, str(error.message)) for error in result.errors]
