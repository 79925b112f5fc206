import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core import validators
from apps.core.text import fold


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("ĐẶNG THỊ  Ánh", "dang thi anh"),
        ("  Huỳnh   Ngọc Đường ", "huynh ngoc duong"),
        ("Phạm Văn Đạt đi đường", "pham van dat di duong"),  # a lower-case đ inside words, not only a capital
        ("đỗ thị đào", "do thi dao"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_diacritics_and_folds_d_with_stroke(raw, folded):
    assert fold(raw) == folded


def test_valid_cccd_passes_format_check():
    validators.validate_cccd_format("089095001234")


@pytest.mark.parametrize(
    "value, message",
    [
        ("08909500123", validators.CCCD_FORMAT),
        ("0890950012345", validators.CCCD_FORMAT),
        ("08909500123A", validators.CCCD_FORMAT),
        ("000095001234", validators.CCCD_PROVINCE),
        ("097095001234", validators.CCCD_PROVINCE),
    ],
)
def test_malformed_cccd_is_refused_with_its_reason(value, message):
    with pytest.raises(ValidationError) as info:
        validators.validate_cccd_format(value)
    assert info.value.messages == [str(message)]
    # Forms and the import tell a wrong length from an unknown province by the code.
    assert info.value.code == ("cccd_format" if message == validators.CCCD_FORMAT else "cccd_province")


@pytest.mark.parametrize("value", ["001095001234", "096095001234"])
def test_the_first_and_last_province_codes_are_accepted(value):
    validators.validate_cccd_format(value)


def test_cccd_consistent_with_birth_and_sex_has_no_errors():
    assert validators.cccd_consistency_errors("089095001234", dt.date(1995, 3, 1), female=False) == {}
    assert validators.cccd_consistency_errors("089303001234", dt.date(2003, 3, 1), female=True) == {}


def test_cccd_century_digit_must_match_sex_and_century():
    errors = validators.cccd_consistency_errors("089195001234", dt.date(1995, 3, 1), female=False)
    assert errors == {"cccd": validators.CCCD_CENTURY}


def test_cccd_year_digits_must_match_birth_year():
    errors = validators.cccd_consistency_errors("089096001234", dt.date(1995, 3, 1), female=False)
    assert errors == {"cccd": validators.CCCD_YEAR}
