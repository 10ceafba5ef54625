"""HrFlow's datetime format: `2026-01-10T08:41:25+0000` (offset without a colon)."""

from datetime import UTC, datetime


def parse_hrflow_datetime(value: str) -> datetime:
    """Parse an ISO-8601 string; naive values are taken as UTC. Raises ValueError."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected an ISO-8601 date string")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_hrflow_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
