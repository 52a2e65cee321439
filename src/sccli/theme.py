"""The one place where sccli's colours live: every style is named ``sccli.*``.

Render code refers to these names only, so a theme can be swapped without
touching it. With ``NO_COLOR`` set, Rich drops the colours and keeps bold,
italic and underline, so every style here stays readable without colour.
"""

from __future__ import annotations

from rich.theme import Theme

STYLES = {
    "sccli.title": "bold",
    "sccli.summary": "italic",
    "sccli.meta": "dim",
    "sccli.heading": "bold underline",
    "sccli.label": "bold",
    "sccli.marker": "bold cyan",
    "sccli.id": "cyan",
    "sccli.match": "bold reverse",
    "sccli.disclaimer": "italic",
    "sccli.term": "underline",
    "sccli.note": "dim",
    "sccli.error": "bold red",
    "sccli.warning": "yellow",
}

THEME = Theme(STYLES)
