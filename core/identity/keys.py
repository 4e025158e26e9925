"""Identity keys: the ``_id`` of a claim in the ``identities`` collection.

A claim says "this anonymous id / user id / e-mail address belongs to that
profile". Claims are inserted with a unique ``_id``, so two requests can never
both claim the same key: the second one learns who won.
"""

import re

_NOT_PHONE_DIGIT = re.compile(r"[^\d+]")


def anonymous_key(anonymous_id: str) -> str:
    """The claim key of an anonymous (device) id."""
    return f"anon:{anonymous_id}"


def user_key(user_id: str) -> str:
    """The claim key of a user id (the customer's id in the company's systems)."""
    return f"user:{user_id}"


def normalize_identifier(kind: str, value: str) -> str:
    """An identifier as compared: trimmed and lower-cased; a phone number keeps only ``+`` and digits."""
    text = value.strip().lower()
    if kind == "phone":
        text = _NOT_PHONE_DIGIT.sub("", text)
        text = text[0] + text[1:].replace("+", "") if text else text
    return text


def identifier_key(kind: str, value: str) -> str:
    """The claim key of an identifier such as an e-mail address (see :func:`normalize_identifier`)."""
    return f"{kind}:{normalize_identifier(kind, value)}"
