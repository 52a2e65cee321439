"""The light and dark themes keep WCAG AA contrast (4.5:1) against their background."""

from __future__ import annotations

import pytest
from rich.color import Color
from rich.style import Style

from sccli.theme import BACKGROUNDS, STYLES


def _luminance(color: Color) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = color.get_truecolor()
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: Color, second: Color) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula() -> None:
    assert round(contrast(Color.parse("#000000"), Color.parse("#ffffff")), 1) == 21.0
    assert round(contrast(Color.parse("#767676"), Color.parse("#ffffff")), 2) == 4.54


@pytest.mark.parametrize("theme", sorted(BACKGROUNDS))
def test_every_style_meets_wcag_aa(theme: str) -> None:
    background = Color.parse(BACKGROUNDS[theme])
    assert set(STYLES[theme]) == set(STYLES["default"])  # every style is themed
    for name, definition in STYLES[theme].items():
        style = Style.parse(definition)
        assert style.color is not None, f"{theme} {name} has no colour of its own"
        behind = style.bgcolor or background
        ratio = contrast(style.color, behind)
        assert ratio >= 4.5, f"{theme} {name}: {ratio:.2f}:1"
