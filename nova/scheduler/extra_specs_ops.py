"""Upstream's operators for matching a flavor extra spec to a value.

A requirement is either a plain string (equal to the value) or starts with
an operator word:

    =  v      value >= v, as numbers (at least v)
    == v  != v  >= v  <= v          numeric comparisons
    s== v  s!= v  s< v  s<= v  s> v  s>= v    string comparisons
    <in> v    v is a substring of the value
    <all-in> v1 v2 ...              every vN is a substring of the value
    <or> v1 <or> v2 ...             the value is one of the vN

A value that is not a number never matches a numeric operator (upstream
lets the ValueError escape).
"""

import operator


def _numbers(compare):
    def method(value, wanted):
        try:
            return compare(float(value), float(wanted))
        except ValueError:
            return False
    return method


_OPERATORS = {
    '=': _numbers(operator.ge),
    '==': _numbers(operator.eq),
    '!=': _numbers(operator.ne),
    '>=': _numbers(operator.ge),
    '<=': _numbers(operator.le),
    's==': operator.eq,
    's!=': operator.ne,
    's<': operator.lt,
    's<=': operator.le,
    's>': operator.gt,
    's>=': operator.ge,
    '<in>': lambda value, wanted: wanted in value,
}


def _one_of(value, words):
    # '<or>' v1 '<or>' v2 ...: the words after each '<or>'.
    return value in words[::2]


def match(value, requirement):
    """Whether value (a string) satisfies requirement (an extra spec)."""
    words = requirement.split()
    if not words:
        return value == requirement
    op, args = words[0], words[1:]
    if op == '<or>':
        return value is not None and _one_of(value, args)
    if op == '<all-in>':
        return value is not None and bool(args) and all(
            arg in value for arg in args)
    method = _OPERATORS.get(op)
    if method is None:
        return value == requirement
    if value is None or not args:
        return False
    return method(value, args[0])
