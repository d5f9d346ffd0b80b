"""Dashboard writes: the daily snapshot (``snapshots``). Views, the API, commands, the sweep
and the demo all call these."""

from dashboards.services.snapshots import SnapshotResult, snapshot_sweep, snapshot_take

__all__ = ["SnapshotResult", "snapshot_sweep", "snapshot_take"]
