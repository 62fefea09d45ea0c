import pytest

from kiosk.errors import UsageError
from vision.zone import Zone


def test_whole_frame_by_default():
    zone = Zone.parse(None)
    assert zone.whole_frame
    assert zone.contains(0.0, 0.0) and zone.contains(1.0, 1.0) and zone.contains(0.3, 0.7)


def test_polygon_membership_by_point():
    zone = Zone.parse("0,0.5,1,0.5,1,1,0,1")  # the lower half
    assert zone.contains(0.5, 0.9)
    assert not zone.contains(0.5, 0.2)
    triangle = Zone.parse("0,0,1,0,0,1")
    assert triangle.contains(0.2, 0.2) and not triangle.contains(0.8, 0.8)


def test_pixel_bounds():
    assert Zone.parse("0.25,0.5,0.75,0.5,0.75,1,0.25,1").pixel_bounds(640, 480) == (160, 240, 480, 480)


@pytest.mark.parametrize(
    "text, message",
    [
        ("1,2,3", "odd number"),
        ("a,b,c,d,e,f", "numbers"),
        ("0,0,1,0", "three corners"),
        ("0,0,2,0,0,1", "outside 0..1"),
    ],
)
def test_bad_zones_are_usage_errors(text, message):
    with pytest.raises(UsageError, match=message):
        Zone.parse(text)
