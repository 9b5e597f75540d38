"""Operations: Prometheus metrics and the optional /healthz + /metrics endpoint.

The pipeline and senders call the `record_*` functions in `bot.ops.metrics`; a run mode starts
the endpoint with `start_if_enabled(config, store)` (or `async with ops_endpoint(...)`).
"""

from bot.ops.server import (
    HealthChecker,
    OpsServer,
    ops_endpoint,
    start_if_enabled,
    start_ops_server,
)

__all__ = ["HealthChecker", "OpsServer", "ops_endpoint", "start_if_enabled", "start_ops_server"]
