"""Make untrusted text safe to print: pure functions, no I/O.

Data files and command lines are untrusted. Text from them is shown as
written, never interpreted: no terminal escape sequence (colour codes, window
titles, clipboard writes), control character, or bidirectional override from
a data file ever reaches the terminal, and lone surrogates (valid in JSON,
fatal to an encoder) become U+FFFD. Tab and newline are kept.
"""

from __future__ import annotations

import functools
import re
from typing import Any


@functools.cache
def _unsafe() -> re.Pattern[str]:
    """What never reaches a terminal (compiled on first use: most text is printable)."""
    return re.compile(
        r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
        r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, clipboard, hyperlinks
        r"|\x1b[P^_][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC strings
        r"|\x1b[@-Z\\-_]?"  # other escapes, and a bare ESC
        r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
        r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # C0 (but tab and newline), DEL, C1
        r"|[\u202a-\u202e\u2066-\u2069]"  # bidirectional embeddings, overrides and isolates
        r"|[\ud800-\udfff]"  # lone surrogates (replaced, not removed: see clean_text)
    )


def clean_text(text: str) -> str:
    """``text`` without escape sequences or control characters, and with U+FFFD for lone surrogates."""
    if text.isprintable():
        return text
    return _unsafe().sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)


def clean_tree(value: Any) -> Any:
    """:func:`clean_text` applied to every string (and key) in decoded JSON."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_tree(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): clean_tree(item) for key, item in value.items()}
    return value


#: Every byte but the control characters (less tab and newline) and DEL: what
#: ``bytes.translate`` deletes to find those fast (a regular expression of one class
#: of bytes takes ten times as long on real text).
_NOT_CONTROL = bytes(byte for byte in range(256) if not ((byte < 0x20 and byte not in b"\t\n") or byte == 0x7F))


@functools.cache
def _suspect_json() -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Bytes of JSON text that may decode to something unsafe to print, besides raw control
    characters (:data:`_NOT_CONTROL`): escaped control characters, surrogates and bidi marks;
    C1 controls and bidi marks in UTF-8. Each pattern is led by one byte or one class of
    bytes, which the regular expression engine finds far faster than one pattern of many
    alternatives."""
    return (
        re.compile(
            rb"\\(?:u00[01][0-9a-fA-F]|u007[fF]|u00[89][0-9a-fA-F]|u20(?:2[a-eA-E]|6[6-9])|u[dD][89a-fA-F]|[bfr])"
        ),
        re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"),
    )


def safe_json(raw: bytes) -> bool:
    """Whether JSON text cannot decode to anything :func:`clean_text` would change (checked fast)."""
    if raw.isascii() and b"\\" not in raw and b"\x7f" not in raw:
        return True  # no escapes and no raw control, C1 or bidi characters
    if raw.translate(None, _NOT_CONTROL):
        return False  # a raw control character or DEL
    escapes, encoded = _suspect_json()
    if b"\\" in raw and escapes.search(raw) is not None:
        return False
    return not ((b"\xc2" in raw or b"\xe2" in raw) and encoded.search(raw) is not None)


_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def one_line(text: str) -> str:
    """:func:`clean_text` for a message of one line: line breaks and tabs are shown as ``\\n``, ``\\t``."""
    return clean_text(text.translate(_LINE_BREAKS))
