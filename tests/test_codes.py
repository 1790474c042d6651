import pytest

from indicators.codes import InvalidCode, code_slug, normalise_code


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("NI 16", "NI 16"),
        ("NI 016", "NI 16"),
        ("*NI 016", "NI 16"),
        ("* NI 015", "NI 15"),
        ("*Local NI 019", "NI 19"),
        ("NI168", "NI 168"),
        ("N1 14", "NI 14"),
        ("N 19", "NI 19"),
        ("072", "NI 72"),
        ("101", "NI 101"),
        ("BV34a", "BV 34a"),
        ("BV 2A", "BV 2a"),
        ("LBC 1", "LBC 1"),
    ],
)
def test_printed_codes_normalise(printed, expected):
    assert normalise_code(printed) == expected


@pytest.mark.parametrize("printed", ["", "NI", "Customer complaints", "NI 1234", "XY 12", "NI 16 and 17"])
def test_text_that_is_not_a_code_is_refused_with_its_text_in_the_message(printed):
    with pytest.raises(InvalidCode, match="not an indicator code"):
        normalise_code(printed)


def test_code_slug_is_the_url_form():
    assert code_slug("NI 16") == "ni-16"
    assert code_slug("BV 34a") == "bv-34a"
