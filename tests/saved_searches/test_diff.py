from saved_searches.services.diff import Previous, ResultRow, results_diff


def test_new_dropped_returned_and_score_changes() -> None:
    previous = {
        "kept": Previous(0.5, False),
        "moved": Previous(0.5, False),
        "gone": Previous(0.4, False),
        "back": Previous(0.3, True),
        "long-gone": Previous(0.2, True),
    }
    current = [
        ResultRow("fresh", 0.9, 1),
        ResultRow("moved", 0.7, 2),
        ResultRow("kept", 0.5004, 3),
        ResultRow("back", 0.3, 4),
    ]
    diff = results_diff(previous=previous, current=current, epsilon=0.001)
    assert diff.new == ("fresh",)
    assert diff.returned == ("back",)
    assert diff.dropped == ("gone",)
    assert diff.score_changed == {"moved": (0.5, 0.7)}


def test_first_run_everything_new_nothing_dropped() -> None:
    diff = results_diff(previous={}, current=[ResultRow("a", 0.1, 1), ResultRow("b", None, 2)])
    assert diff.new == ("a", "b")
    assert diff.dropped == ()
    assert diff.score_changed == {}


def test_score_appearing_or_vanishing_counts_as_change() -> None:
    previous = {"a": Previous(None, False), "b": Previous(0.5, False)}
    diff = results_diff(previous=previous, current=[ResultRow("a", 0.2, 1), ResultRow("b", None, 2)])
    assert set(diff.score_changed) == {"a", "b"}


def test_a_move_of_exactly_epsilon_is_a_change() -> None:
    # Powers of two: 0.5 + 2**-10 - 0.5 is exactly 2**-10 in floating point.
    step = 2**-10
    previous = {"edge": Previous(0.5, False), "under": Previous(0.5, False)}
    current = [ResultRow("edge", 0.5 + step, 1), ResultRow("under", 0.5 + step / 2, 2)]
    diff = results_diff(previous=previous, current=current, epsilon=step)
    assert diff.score_changed == {"edge": (0.5, 0.5 + step)}
