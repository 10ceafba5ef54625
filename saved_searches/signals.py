"""Signals other apps listen to (they import this app; this app imports none of them).

`refresh_succeeded` is sent *inside* the transaction that records a successful refresh run,
after the seen jobs are written and before the commit: a receiver's writes commit or roll back
with the run (the alerts app's announcement ledger and outbox rely on this), and a receiver
that raises fails the refresh. Receivers must not call out (no HrFlow, no SMTP): the search
row is locked meanwhile. Arguments: `search` (SavedSearch, locked), `run` (SearchRun),
`rows` (list[ResultRow], best first, with `card` display fields when the fetcher gives them),
`new_keys` (tuple[str, ...]: keys this search's seen jobs had never held), `baseline` (bool:
the first run after a save or a filter update, whose jobs are the reference, not news).
"""

from __future__ import annotations

from django.dispatch import Signal

refresh_succeeded = Signal()
