"""``re``'s module functions, with a cache of compiled patterns large enough for the rules.

The rules build several hundred distinct patterns from their word lists, more than
``re``'s own cache holds (512, dropped oldest first). Read in turn, article after
article, every pattern was compiled again each time it was used, and compiling took
over half of an extraction. Here the last ``CACHED`` patterns stay compiled
(least recently used dropped first), so the word lists' patterns stay hot while
patterns built from an article's own names come and go.

Same signatures as ``re.search`` and friends; flags are ``re``'s.
"""

from __future__ import annotations

import re
from functools import lru_cache

CACHED = 4096


@lru_cache(maxsize=CACHED)
def compiled(pattern: str | re.Pattern, flags: int = 0) -> re.Pattern:
    return re.compile(pattern, flags)


def search(pattern, string: str, flags: int = 0) -> re.Match | None:
    return compiled(pattern, flags).search(string)


def match(pattern, string: str, flags: int = 0) -> re.Match | None:
    return compiled(pattern, flags).match(string)


def fullmatch(pattern, string: str, flags: int = 0) -> re.Match | None:
    return compiled(pattern, flags).fullmatch(string)


def finditer(pattern, string: str, flags: int = 0):
    return compiled(pattern, flags).finditer(string)


def findall(pattern, string: str, flags: int = 0) -> list:
    return compiled(pattern, flags).findall(string)


def sub(pattern, repl, string: str, count: int = 0, flags: int = 0) -> str:
    return compiled(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string: str, count: int = 0, flags: int = 0) -> tuple[str, int]:
    return compiled(pattern, flags).subn(repl, string, count)


def split(pattern, string: str, maxsplit: int = 0, flags: int = 0) -> list:
    return compiled(pattern, flags).split(string, maxsplit)
