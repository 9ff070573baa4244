"""Argument types shared by the management commands."""


def positive(text: str) -> int:
    """A whole number of at least 1 (argparse reports anything else as an invalid value)."""
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value
