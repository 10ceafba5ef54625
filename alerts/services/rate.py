"""The send rate, shared by every worker: one row holds when the next e-mail may start.

Each send takes the next slot (`ALERTS_SEND_RATE_PER_MINUTE` slots a minute) under a row lock,
so the rate holds over any number of workers and hosts; a send whose slot is further away than
`ALERTS_SEND_MAX_WAIT_SECONDS` takes none and comes back later.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from alerts import conf
from alerts.models import SendSlot


def take_send_slot(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """The moment this send may start (now or a little later), or None: come back later."""
    now = now or timezone.now()
    interval = dt.timedelta(seconds=60.0 / max(float(conf.get("ALERTS_SEND_RATE_PER_MINUTE")), 1e-6))
    max_wait = dt.timedelta(seconds=float(conf.get("ALERTS_SEND_MAX_WAIT_SECONDS")))
    SendSlot.objects.get_or_create(pk=1, defaults={"next_free_at": now})
    with transaction.atomic():
        slot = SendSlot.objects.select_for_update().get(pk=1)
        start = max(now, slot.next_free_at)
        if start - now > max_wait:
            return None
        slot.next_free_at = start + interval
        slot.save(update_fields=["next_free_at"])
    return start
