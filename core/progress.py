"""Progress bars for long commands (docs/product.md §8: every command that can take long shows
progress). tqdm on standard error, so standard output keeps the summary for scripts."""

from __future__ import annotations

import sys

from tqdm import tqdm

STAGE_LABELS = {
    "validate": "Validating rows",
    "write": "Writing",
    "recompute": "Recomputing queues (providers)",
    "generate": "Generating referrals",
    "events": "Writing history",
}


class StageProgress:
    """``progress(stage, done, total)``: one bar per stage; ``done`` counts up."""

    def __init__(self, *, enabled: bool = True, stream=None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.bars: dict[str, tqdm] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(stage)
        if bar is None:
            for other in self.bars.values():
                other.close()
            bar = self.bars[stage] = tqdm(
                desc=STAGE_LABELS.get(stage, stage),
                total=total,
                unit=" rows" if stage not in ("recompute",) else " providers",
                unit_scale=True,
                file=self.stream,
                mininterval=0.5,
                dynamic_ncols=True,
            )
        if total is not None and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()
