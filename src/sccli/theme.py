"""The one place where sccli's colours live: every style is named ``sccli.*``.

Render code refers to these names only, so a theme swaps without touching it.

* ``default`` uses the terminal's own palette (named ANSI colours and "dim"),
  so it follows whatever colours the user has chosen. Editorial notes are
  never dim in any theme: they say where a text overstates, the most
  important words on the page. With ``NO_COLOR`` set,
  Rich drops the colours and keeps bold, italic and underline, so every
  style stays readable without colour.
* ``light`` and ``dark`` use exact colours chosen for a light or a dark
  background: each keeps a contrast ratio of at least 4.5:1 (WCAG 2 AA)
  against :data:`BACKGROUNDS`, which ``tests/test_theme.py`` checks.
"""

from __future__ import annotations

from rich.theme import Theme

STYLES = {
    "default": {
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
        "sccli.note": "magenta",
        "sccli.error": "bold red",
        "sccli.warning": "yellow",
        "sccli.urgent": "bold red",
    },
    "light": {
        "sccli.title": "bold #1c1c1c",
        "sccli.summary": "italic #303030",
        "sccli.meta": "#595959",
        "sccli.heading": "bold underline #1c1c1c",
        "sccli.label": "bold #1c1c1c",
        "sccli.marker": "bold #005f87",
        "sccli.id": "#005f87",
        "sccli.match": "bold #000000 on #ffd75f",
        "sccli.disclaimer": "italic #303030",
        "sccli.term": "underline #1c1c1c",
        "sccli.note": "#5f005f",
        "sccli.error": "bold #af0000",
        "sccli.warning": "#875f00",
        "sccli.urgent": "bold #af0000",
    },
    "dark": {
        "sccli.title": "bold #eeeeee",
        "sccli.summary": "italic #d0d0d0",
        "sccli.meta": "#a8a8a8",
        "sccli.heading": "bold underline #eeeeee",
        "sccli.label": "bold #eeeeee",
        "sccli.marker": "bold #5fd7ff",
        "sccli.id": "#5fd7ff",
        "sccli.match": "bold #121212 on #ffd75f",
        "sccli.disclaimer": "italic #d0d0d0",
        "sccli.term": "underline #eeeeee",
        "sccli.note": "#d7afff",
        "sccli.error": "bold #ff8787",
        "sccli.warning": "#ffd75f",
        "sccli.urgent": "bold #ff8787",
    },
}

#: The background each exact theme is made for (what contrast is measured against).
BACKGROUNDS = {"light": "#ffffff", "dark": "#121212"}

THEMES = {name: Theme(styles) for name, styles in STYLES.items()}
THEME = THEMES["default"]
