"""Live connectors' codeconvene.yaml knobs: numbers, or one error naming `<source>.<key>`."""

from __future__ import annotations

import pytest

from ingest.core.live import option_number


def test_a_given_number_is_converted_and_a_missing_one_takes_the_default():
    assert option_number({"page_size": "15"}, "slack", "page_size", 200, int) == 15
    assert option_number({}, "slack", "timeout_s", 30.0) == 30.0


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"page_size": "lots"}, "codeconvene.yaml `discord.page_size`: expected a number, got 'lots'"),
        ({"page_size": -5}, "codeconvene.yaml `discord.page_size`: must be >= 0, got -5"),
    ],
)
def test_a_bad_knob_is_one_clear_error_naming_it(given, message):
    with pytest.raises(ValueError) as error:
        option_number(given, "discord", "page_size", 100, int)
    assert str(error.value) == message
