"""Reading time and the Flesch-Kincaid grade."""

from __future__ import annotations

import pytest

from sccli.reading import grade, minutes, syllables, text_counts


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("pain", 1),
        ("nerves", 1),
        ("stimulation", 4),
        ("neuropathy", 4),
        ("battery", 3),
        ("implanted", 3),
        ("care", 1),
        ("able", 2),
        ("moved", 1),
        ("rhythm", 1),
    ],
)
def test_syllables_by_rule_of_thumb(word: str, count: int) -> None:
    assert syllables(word) == count


def test_grade_is_the_published_formula() -> None:
    # 0.39 x 100/5 + 11.8 x 150/100 - 15.59 = 9.91
    assert grade(100, 5, 150) == 9.9
    assert grade(0, 0, 0) == 0.0


def test_counts_treat_each_text_as_at_least_one_sentence() -> None:
    assert text_counts(["Short words here.", "No stop at the end"]) == (8, 2, 8)
    assert text_counts(["One. Two! Three?"]) == (3, 3, 3)


def test_minutes_round_up() -> None:
    assert [minutes(n) for n in (0, 1, 200, 201, 1000)] == [1, 1, 1, 2, 5]
