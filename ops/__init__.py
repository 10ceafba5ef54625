"""Operations: health and readiness probes, Prometheus metrics, request/task log context.

Depends on no dashboard app: what the dashboard wants reported (HrFlow's breaker, saved-search
lag) is named in settings (OPS_READINESS_REPORTS, OPS_METRICS_COLLECTORS) as dotted paths.
"""
