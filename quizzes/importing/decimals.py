"""Numbers as people type them in question files, and back."""

from decimal import Decimal, InvalidOperation

# Fractions such as 1/3 are kept to 7 places, like Moodle's 33.33333%.
FRACTION_QUANTUM = Decimal("0.0000001")


def parse_decimal(value):
    """A finite Decimal from a cell or a piece of text ("2", "1,5", " 3.14 ", 2.5), else ``None``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def format_decimal(number):
    """``Decimal("2.50")`` → ``"2.5"``, ``Decimal("1E+2")`` → ``"100"``: plain notation, no trailing zeros."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def share(count):
    """1/count, rounded like Moodle's weights."""
    return (Decimal(1) / Decimal(count)).quantize(FRACTION_QUANTUM)


def parse_range(value):
    """``"1..5"`` → ``(Decimal(1), Decimal(5))``; ``None`` when ``value`` is not a range of two numbers."""
    if not isinstance(value, str) or ".." not in value:
        return None
    low, _dots, high = value.partition("..")
    low, high = parse_decimal(low), parse_decimal(high)
    if low is None or high is None:
        return None
    return low, high


def range_middle(low, high):
    """The answer and the tolerance that cover ``low..high``."""
    return (low + high) / 2, (high - low) / 2
