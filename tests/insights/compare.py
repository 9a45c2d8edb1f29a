"""Comparison of engine output with the reference's: exact for everything
but floats, which may differ in the last bits (sums taken in another order)."""

import math
from typing import Any


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    if type(got) is not type(want):
        return [f"{path}: {got!r} ({type(got).__name__}) != {want!r} ({type(want).__name__})"]
    if isinstance(got, dict):
        if got.keys() != want.keys():
            return [f"{path}: keys {sorted(got)} != {sorted(want)}"]
        return [d for k in got for d in differences(got[k], want[k], f"{path}.{k}")]
    if isinstance(got, list):
        if len(got) != len(want):
            return [f"{path}: {got!r} != {want!r}"]
        return [d for i, (g, w) in enumerate(zip(got, want, strict=True))
                for d in differences(g, w, f"{path}[{i}]")]  # fmt: skip
    if isinstance(got, float):
        return (
            []
            if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)
            else [f"{path}: {got!r} != {want!r}"]
        )
    return [] if got == want else [f"{path}: {got!r} != {want!r}"]
