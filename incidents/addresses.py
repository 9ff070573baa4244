"""The client's address, read the same way at every door, and networks of addresses.

The throttles, the lockout of sign-ins and the address limits of partner tokens all
ask "where does this request come from?", and must agree: an address the throttles
count is the one a lockout blocks and a token's networks are checked against.
The answer is Django REST framework's: ``REMOTE_ADDR``, or, with ``NUM_PROXIES``
set, the address the trusted proxies put in ``X-Forwarded-For``. A client-sent
``X-Forwarded-For`` is never trusted unless proxies are configured.
"""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from rest_framework.throttling import BaseThrottle

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(request) -> str | None:
    """The client's address as text, as the throttles see it (``BaseThrottle.get_ident``)."""
    return BaseThrottle().get_ident(request) or None


def parse_address(text: str | None) -> Address | None:
    """An address from a header or ``REMOTE_ADDR``; None when it is not one.

    A proxy may add a port (``203.0.113.7:51234``, ``[2001:db8::1]:443``); an IPv4
    client seen through an IPv6 socket arrives as ``::ffff:203.0.113.7``.
    """
    if not text:
        return None
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def parse_networks(values) -> list[str]:
    """Networks as staff or operators write them, normalised; refuse what is not one.

    ``values`` is a list of strings or one string of networks separated by commas,
    semicolons or new lines. A bare address is a network of one (``/32``, ``/128``);
    host bits are cleared (``10.1.2.3/24`` is ``10.1.2.0/24``). Raises
    ``ValidationError`` naming each entry that is not a network.
    """
    if values is None:
        return []
    if isinstance(values, str):
        values = re.split(r"[,;\s]*[\n,;][,;\s]*", values.strip())
    if not isinstance(values, list | tuple):
        raise ValidationError(gettext("Give a list of networks, e.g. 203.0.113.0/24."))
    networks, wrong = [], []
    for value in values:
        if not str(value).strip():
            continue
        try:
            network = ipaddress.ip_network(str(value).strip(), strict=False)
        except ValueError:
            wrong.append(str(value))
            continue
        if str(network) not in networks:
            networks.append(str(network))
    if wrong:
        raise ValidationError(
            gettext(
                "Not a network: %(values)s. Write an address (203.0.113.7) or a network "
                "in CIDR notation (203.0.113.0/24, 2001:db8::/32)."
            )
            % {"values": ", ".join(wrong)}
        )
    return networks


def validate_networks(value) -> None:
    """Model validator of a list of networks (``parse_networks``)."""
    parse_networks(value)


def in_networks(address: str | None, networks: list[str]) -> bool:
    """Whether ``address`` lies in one of ``networks``; an empty list allows every address."""
    if not networks:
        return True
    parsed = parse_address(address)
    if parsed is None:
        return False
    for text in networks:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            continue
        if parsed.version == network.version and parsed in network:
            return True
    return False
