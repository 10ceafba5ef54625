"""The HrFlow integration: the only package that talks HTTP to HrFlow (architecture.md §3).

* `query.JobQuery`: one search; maps filters to HrFlow parameters and to canonical URLs.
* `client.HrFlowClient` / `client.get_client()`: transport, retries, named errors.
* `results`: typed, display-ready results (`JobPage`, `ScoredJob`, `Candidate`, ...).
* `errors`: `HrFlowError` and one subclass per failure kind, each with a `user_message`.

Views and tasks go through `scoring.selectors`, not through the client directly.
"""
