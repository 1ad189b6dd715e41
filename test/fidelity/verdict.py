"""The verdict of a training run from its loss history: nan, diverging, stalled or healthy.

A line-by-line port of the TensorFlow.js reproduction's `judge` (src/repro/verdict.ts; the
criteria are documented in docs/reproduction.md), so that both frameworks are judged alike.
Keep the two in step: the fidelity suite compares their verdicts.
"""
import math
import os
import sys

CRITERIA = {
    "divergeOverFirst": 2,
    "divergeOverBest": 10,
    "divergeAbsolute": 1e30,
    "stallProgress": 0.9,
    "floorClose": 1.05,
    "recentProgress": 0.05,
    "farAboveMean": 10,
    "explodedOverMean": 1000,
    "explodedMinimumBaseline": 1e-3,
}

# The bounds a loss is judged against ship with the Keras engine (nanguard_bounds.py), so the
# engine and this suite compute them with one piece of code.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "repro", "keras", "python"))

from nanguard_bounds import BCE_EPSILON, RANGES, bce_bounds, bce_targets_out_of_range, loss_bounds  # noqa: E402,F401


def mean_predictor_mse(targets):
    return loss_bounds("mse", targets, None)[0]


def classify(losses, val_losses=(), mean_predictor=None, output_floor=None, non_finite=False, loss_floor=None, bce_targets_out_of_range=False):
    values = [float(v) for v in losses]
    val_values = [float(v) for v in val_losses]
    if non_finite or any(not math.isfinite(v) for v in values) or any(not math.isfinite(v) for v in val_values):
        return "nan"
    if not values:
        return "stalled"
    first, last, best, worst = values[0], values[-1], min(values), max(values)
    # A loss that reached 1e30 and came down exploded; it diverged only if it ends there (or, with no
    # mean predictor to measure an explosion against, if it ever got there).
    absolute = worst if mean_predictor is None else last
    if absolute >= CRITERIA["divergeAbsolute"] or (
        last > first and last >= CRITERIA["divergeOverFirst"] * first and last >= CRITERIA["divergeOverBest"] * best
    ):
        return "diverging"
    if bce_targets_out_of_range and last < 0:
        return "diverging"
    floor_above = output_floor if output_floor is not None and output_floor > 0 else 0.0
    if mean_predictor is not None and mean_predictor > 0 and last >= CRITERIA["explodedOverMean"] * max(mean_predictor, floor_above, CRITERIA["explodedMinimumBaseline"]):
        return "exploded"
    entropy_floor = loss_floor or 0.0
    if (
        entropy_floor > 0 and mean_predictor is not None and mean_predictor > entropy_floor
        and last - entropy_floor <= (CRITERIA["floorClose"] - 1) * (mean_predictor - entropy_floor)
    ):
        return "healthy"
    at_floor = (
        output_floor is not None and output_floor > 0 and mean_predictor is not None
        and output_floor > mean_predictor and last <= output_floor * CRITERIA["floorClose"]
    )
    n = len(values)
    recent_index = max(0, n - 1 - max(2, n // 4))
    recent_from = values[recent_index]
    still_falling = 1 - last / recent_from > CRITERIA["recentProgress"]
    steady_fall = still_falling and n >= 2 and values[n - 2] - last >= 0.5 * (recent_from - last) / max(1, n - 1 - recent_index)
    no_better_than_mean = mean_predictor is not None and last > mean_predictor and (
        not still_falling or last > CRITERIA["farAboveMean"] * mean_predictor
    )
    little_progress = last - entropy_floor > CRITERIA["stallProgress"] * (first - entropy_floor) and not steady_fall
    if little_progress or at_floor or no_better_than_mean:
        return "stalled"
    return "healthy"
