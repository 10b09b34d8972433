from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.core.hlc import MAX_FORWARD_DRIFT_MS, HybridClock, Stamp


class FakeWall:
    def __init__(self, start: int) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now


def test_stamp_text_roundtrip_and_order() -> None:
    a = Stamp(1_700_000_000_000, 3, "dev1")
    assert str(a) == "1700000000000.00003.dev1"
    assert Stamp.parse(str(a)) == a
    assert str(Stamp(1, 10, "a")) > str(Stamp(1, 9, "z"))  # text order == (time, counter, node)


@pytest.mark.parametrize("bad", ["", "x", "1.2.3", "170000000000a.00001.n", "1700000000000.00001."])
def test_stamp_parse_refuses_garbage(bad: str) -> None:
    with pytest.raises(ValueError):
        Stamp.parse(bad)


@given(st.lists(st.integers(min_value=-(10**6), max_value=10**6), min_size=1, max_size=200))
def test_now_is_strictly_monotonic_whatever_the_wall_clock_does(jumps: list[int]) -> None:
    wall = FakeWall(1_700_000_000_000)
    clock = HybridClock("node", wall=wall)
    previous = clock.now()
    for jump in jumps:
        wall.now = max(0, wall.now + jump)  # includes big jumps backwards
        stamp = clock.now()
        assert stamp > previous
        previous = stamp


@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(min_value=-(10**7), max_value=10**7)), max_size=100
    )
)
def test_observe_keeps_monotonicity_and_caps_far_future(events: list[tuple[bool, int]]) -> None:
    wall = FakeWall(1_700_000_000_000)
    clock = HybridClock("a", wall=wall)
    previous = clock.now()
    for is_remote, offset in events:
        if is_remote:
            remote = str(Stamp(max(0, wall.now + offset * 1000), 7, "b"))
            clock.observe(remote)
        stamp = clock.now()
        assert stamp > previous
        assert Stamp.parse(stamp).physical <= wall.now + MAX_FORWARD_DRIFT_MS + 1
        previous = stamp


def test_observe_remote_from_2040_does_not_drag_clock_beyond_a_day() -> None:
    wall = FakeWall(1_700_000_000_000)
    clock = HybridClock("a", wall=wall)
    assert clock.observe(str(Stamp(2_200_000_000_000, 0, "b"))) is False
    assert Stamp.parse(clock.now()).physical <= wall.now + MAX_FORWARD_DRIFT_MS + 1


def test_restart_from_persisted_last_stays_ahead_after_clock_went_back() -> None:
    wall = FakeWall(1_700_000_000_000)
    first = HybridClock("a", wall=wall)
    last = first.now()
    wall.now -= 3_600_000  # the PC clock was set back an hour before the restart
    second = HybridClock("a", last=last, wall=wall)
    assert second.now() > last


def test_counter_overflow_moves_physical_time() -> None:
    wall = FakeWall(1000)
    clock = HybridClock("a", wall=wall)
    stamps = [clock.now() for _ in range(100_005)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
