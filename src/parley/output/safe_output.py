"""Text made safe for where it goes: a terminal, a spreadsheet.

Article titles, outlets and text are the input's, so anyone who can publish a
page can put bytes in them. On a terminal, escape sequences in them would change
the window title, draw links (OSC 8) or clear the screen: `for_terminal` removes
every escape sequence and control character. In a CSV file opened by a
spreadsheet, a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return is a formula: `for_csv_cell` prefixes it with `'` (the OWASP rule for CSV
injection), and its line breaks become spaces (one row, one line, whatever
reads the file). HTML output is escaped by its template engine (report.py).
"""
from __future__ import annotations

import re
from typing import Any

# ESC or the 8-bit CSI/OSC/DCS introducers, with whatever the sequence carries:
# CSI (ESC [ ... final byte), OSC/DCS/APC/PM/SOS (ESC ] ... BEL or ST), two-byte escapes;
# then any other C0/C1 control character (newlines and tabs kept: tables fold them).
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_terminal(text: str) -> str:
    """`text` without escape sequences, control characters or bidirectional overrides."""
    if not text:
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\r\n\v\f\x85\u2028\u2029])\s*")


def for_csv_cell(value: Any) -> Any:
    """A text cell on one line (line breaks made spaces) and, when a spreadsheet would read it
    as a formula, prefixed with `'`; numbers as they are."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return _LINE_BREAKS.sub(" ", value)
