"""Fractional-index rank strings: moving a card rewrites its own rank, never its neighbours'.

This is David Greenspan's variable-length "fractional indexing" (as in rocicorp's
``fractional-indexing``). Ranks use the base-62 digits ``0-9A-Za-z`` in ASCII order, so
``str``, SQLite BINARY and PostgreSQL "C" comparisons agree. A rank is an integer part, whose
head letter gives its number of digits (``a``..``z``: 1..26 digits, >= 0; ``Z``..``A``: 1..26
digits, < 0; ``a0`` = 0, ``az`` = 61, ``b00`` = 62, ``Zz`` = -1, ``Yzz`` = -63), then a
fraction that never ends in ``0``, so there is always room between two ranks (``A`` + 26
zeros, the smallest integer, is reserved to keep room before every rank). Inserting at the
start (end) takes the first (last) integer part minus (plus) one; inserting between ranks
with equal integer parts takes the midpoint of their fractions.

Length bounds, asserted in ``tests/test_ranking.py``:

* The integer x alone takes at most ``2 + floor(log62(max(|x|, 1)))`` characters (k digits
  only once |x| >= 62 + ... + 62**(k-1)), so n consecutive prepends (appends) to a list whose
  first (last) integer part is x0 give at most ``2 + floor(log62(|x0| + n))`` characters:
  4 after 10,000 from ``a0``.
* A new rank is at most one character longer than its longer neighbour.
* n insertions in a row just after (or before) the same rank add a character per 5 at most:
  between ``a0`` and ``a1`` ranks stay within ``2 + ceil(n / 5)`` characters, as each new
  digit position offers 61 values and each insertion takes the middle of those left
  (floor(log2(62)) = 5 insertions going up, 6 going down since the middle is rounded up).
* ``initial_ranks(count)`` has ``1 + max(1, ceil(log62(count)))`` characters: 4 for 100,000.
"""

from __future__ import annotations

import string

_DIGITS = string.digits + string.ascii_uppercase + string.ascii_lowercase
_BASE = len(_DIGITS)
_INDEX = {digit: value for value, digit in enumerate(_DIGITS)}
_MAX_INT_DIGITS = 26
_RESERVED = "A" + "0" * _MAX_INT_DIGITS


def rank_between(before: str | None, after: str | None) -> str:
    """Return a new rank that sorts strictly between two ranks.

    Args:
        before: The rank the new one must follow, or None for the start of the list.
        after: The rank the new one must precede, or None for the end of the list.

    Returns:
        A valid rank ``r`` with ``before < r < after``.

    Raises:
        ValueError: If a rank is not valid, or ``before >= after``.
    """
    for rank in (before, after):
        if rank is not None and not is_valid_rank(rank):
            raise ValueError(f"invalid rank: {rank!r}")
    if before is not None and after is not None and before >= after:
        raise ValueError(f"rank {before!r} is not before {after!r}")
    if before is None:
        if after is None:
            return "a0"
        int_after, frac_after = _split(after)
        lower = _encode_int(_decode_int(int_after) - 1)
        if lower is None:  # int_after is the smallest integer, so frac_after is not empty
            return int_after + _midpoint("", frac_after)
        return int_after if frac_after else lower
    int_before, frac_before = _split(before)
    higher = _encode_int(_decode_int(int_before) + 1)
    if after is None:
        return higher if higher is not None else int_before + _midpoint(frac_before, None)
    int_after, frac_after = _split(after)
    if int_before == int_after:
        return int_before + _midpoint(frac_before, frac_after)
    if higher is not None and higher < after:
        return higher
    return int_before + _midpoint(frac_before, None)


def initial_ranks(count: int) -> list[str]:
    """Return ranks for a new list of items, evenly spread over one integer band.

    Args:
        count: The number of ranks wanted.

    Returns:
        ``count`` strictly increasing ranks of ``1 + max(1, ceil(log62(count)))`` characters,
        spread evenly over the integers of that many digits.

    Raises:
        ValueError: If ``count`` is negative.
    """
    if count < 0:
        raise ValueError(f"negative count: {count}")
    width = 1
    while _BASE**width < count:
        width += 1
    head = chr(ord("a") + width - 1)
    span = _BASE**width
    return [head + _to_digits((2 * i + 1) * span // (2 * count), width) for i in range(count)]


def is_valid_rank(rank: str) -> bool:
    """Tell whether a string is a well-formed rank.

    Args:
        rank: The string to check.

    Returns:
        True if ``rank`` is made of base-62 digits, starts with a complete integer part, has
        a fraction not ending in ``0`` and is not the reserved smallest integer.
    """
    if not rank or rank == _RESERVED or any(digit not in _INDEX for digit in rank):
        return False
    int_length = 1 + _int_digits(rank[0])
    return int_length > 1 and len(rank) >= int_length and not rank[int_length:].endswith("0")


def _int_digits(head: str) -> int:
    """Return the number of digits after an integer part's head letter, 0 if not a head."""
    if "a" <= head <= "z":
        return ord(head) - ord("a") + 1
    if "A" <= head <= "Z":
        return ord("Z") - ord(head) + 1
    return 0


def _split(rank: str) -> tuple[str, str]:
    """Split a valid rank into its integer part and its fraction."""
    int_length = 1 + _int_digits(rank[0])
    return rank[:int_length], rank[int_length:]


def _band_start(width: int) -> int:
    """Return the magnitude of the first integer written with ``width`` digits."""
    power: int = _BASE**width  # int ** int is typed Any (a negative exponent gives a float)
    return (power - _BASE) // (_BASE - 1)  # 62 + 62**2 + ... + 62**(width - 1)


def _encode_int(value: int) -> str | None:
    """Write an integer as an integer part, or return None if it needs over 26 digits."""
    magnitude = value if value >= 0 else ~value  # ~value == -value - 1: -1 has magnitude 0
    width = 1
    while magnitude >= _band_start(width + 1):
        width += 1
    if width > _MAX_INT_DIGITS:
        return None
    offset = magnitude - _band_start(width)
    if value >= 0:
        return chr(ord("a") + width - 1) + _to_digits(offset, width)
    return chr(ord("Z") - width + 1) + _to_digits(_BASE**width - 1 - offset, width)


def _decode_int(int_part: str) -> int:
    """Read the integer written by a valid integer part."""
    width = len(int_part) - 1
    offset = 0
    for digit in int_part[1:]:
        offset = offset * _BASE + _INDEX[digit]
    if int_part[0] >= "a":
        return _band_start(width) + offset
    return ~(_band_start(width + 1) - 1 - offset)


def _to_digits(value: int, width: int) -> str:
    """Write a non-negative integer as exactly ``width`` base-62 digits."""
    return "".join(_DIGITS[value // _BASE**power % _BASE] for power in reversed(range(width)))


def _midpoint(low: str, high: str | None) -> str:
    """Return a short fraction strictly between two fractions (``high`` None means 1).

    Walks both fractions digit by digit (``low`` padded with zeros): a common digit is
    copied; at the first difference the digit halfway between is taken if there is one.
    Otherwise, if ``high`` goes on, its digit alone is enough; if not, ``low``'s digit is
    copied and the rest only has to exceed the rest of ``low``.
    """
    result: list[str] = []
    position = 0
    while True:
        low_digit = _INDEX[low[position]] if position < len(low) else 0
        high_digit = _BASE if high is None else _INDEX[high[position]]
        if low_digit == high_digit:
            result.append(_DIGITS[low_digit])
        elif high_digit - low_digit > 1:
            return "".join(result) + _DIGITS[(low_digit + high_digit + 1) // 2]
        elif high is not None and len(high) > position + 1:
            return "".join(result) + _DIGITS[high_digit]
        else:
            result.append(_DIGITS[low_digit])
            high = None
        position += 1
