"""The sandbox's HrFlow endpoints (docs/architecture.md §2, docs/hrflow.md)."""

import json
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from sandbox import conf, job_input, serializers
from sandbox import params as p
from sandbox.engine import scoring
from sandbox.engine.filters import haversine_km
from sandbox.engine.search import search
from sandbox.engine.state import get_profile, get_scores, get_state
from sandbox.errors import UnknownObject, api_view, json_response
from sandbox.models import Board, IndexState, Job, Profile, Source, bump_index_version
from sandbox.timeutil import format_hrflow_datetime, parse_hrflow_datetime

GET = ("GET",)


@api_view(GET, auth=False)
def health(request: HttpRequest) -> JsonResponse:
    offset = IndexState.objects.filter(id=1).values_list("demo_date_offset_days", flat=True).first()
    # `demo_date_offset_days`: the whole days load_demo_data moved the snapshot's job dates by.
    return json_response(
        {"code": 200, "message": "ok", "jobs": Job.objects.count(), "demo_date_offset_days": offset}
    )


def _raw(request: HttpRequest) -> p.RawParams:
    if request.method == "POST":
        content_type = request.content_type or ""
        if content_type not in ("", "application/json"):
            raise p.BadParameter("Content-Type", f"must be application/json, got {content_type}")
        return p.RawParams.from_body(request.body)
    return p.RawParams.from_query(request.GET)


@api_view(("GET", "POST"))
def jobs_scoring(request: HttpRequest) -> JsonResponse:
    query = p.parse_scoring(_raw(request), max_limit=conf.max_limit())
    state = get_state()
    for key in query.board_keys:
        if key not in state.boards:
            raise UnknownObject("board")
    profile: tuple[dict[str, Any], scoring.ProfileVector] | None = None
    if query.source_key is not None and not Source.objects.filter(key=query.source_key).exists():
        raise UnknownObject("source")
    algorithm_key = query.algorithm_key  # required (params.parse_scoring)
    if algorithm_key is None or algorithm_key not in state.algorithms:
        raise UnknownObject("algorithm")
    if query.source_key and (query.profile_key or query.profile_reference):
        profile = get_profile(
            state, query.source_key, key=query.profile_key, reference=query.profile_reference
        )
        if profile is None:
            raise UnknownObject("profile")
    scores = None
    if query.use_agent and profile is not None:
        profile_id = profile[0].get("key") or ""
        scores = get_scores(state, profile[1], profile_id, algorithm_key)
    result = search(state.index, query, scores)
    ids = [int(state.index.ids[row]) for row in result.rows]
    payloads = dict(Job.objects.filter(id__in=ids).values_list("id", "payload"))
    jobs, predictions, reasons = [], [], []
    for job_id, score in zip(ids, result.scores.tolist(), strict=True):
        payload = payloads[job_id]
        jobs.append(serializers.job(payload, job_id=job_id, board_name=state.boards[payload["board_key"]]))
        predictions.append([1.0 - score, score])
        reasons.append(
            scoring.reasons(payload, profile[1]) if profile else {"matched_skills": [], "missing_skills": []}
        )
    return json_response(
        {
            "code": 200,
            "message": "Job scoring results",
            "meta": serializers.meta(page=query.page, limit=query.limit, total=result.total, count=len(jobs)),
            # `reasons` is a sandbox extension (architecture.md §2); HrFlow clients ignore it.
            "data": {"jobs": jobs, "predictions": predictions, "reasons": reasons},
        }
    )


def _list_params(request: HttpRequest) -> tuple[str | None, int, int, str]:
    raw = p.RawParams.from_query(request.GET)
    raw.check_known(frozenset({"name", "page", "limit", "sort_by", "order_by"}))
    page, limit = p.parse_page_limit(raw, conf.max_limit())
    if raw.get("sort_by") is not None:
        p.as_choice("sort_by", raw.get("sort_by"), ("date", "name", "created_at"))
    order = (
        "desc" if raw.get("order_by") is None else p.as_choice("order_by", raw.get("order_by"), p.ORDER_BY)
    )
    name = None if raw.get("name") is None else p.as_str("name", raw.get("name"), 200)
    return name, page, limit, order


def _providers(request: HttpRequest, model: type[Board] | type[Source], message: str) -> JsonResponse:
    name, page, limit, order = _list_params(request)
    rows: QuerySet[Any] = model.objects.all()
    if name:
        rows = rows.filter(name__icontains=name)
    rows = rows.order_by("-created_at" if order == "desc" else "created_at", "id")
    total = rows.count()
    page_rows = rows[(page - 1) * limit : page * limit]
    data = [
        dict(serializers.provider(r.key, r.name), created_at=serializers.created(r.created_at))
        for r in page_rows
    ]
    return json_response(serializers.listing(message, data, page=page, limit=limit, total=total))


def _provider(request: HttpRequest, model: type[Board] | type[Source], kind: str) -> JsonResponse:
    raw = p.RawParams.from_query(request.GET)
    raw.check_known(frozenset({"key"}))
    if raw.get("key") is None:
        raise p.BadParameter("key", "is required")
    key = p.as_key("key", raw.get("key"))
    row = model.objects.filter(key=key).first()
    if row is None:
        raise UnknownObject(kind)
    data = dict(serializers.provider(row.key, row.name), created_at=serializers.created(row.created_at))
    return json_response({"code": 200, "message": f"Get {kind}", "data": data})


@api_view(GET)
def sources(request: HttpRequest) -> JsonResponse:
    return _providers(request, Source, "List of sources")


@api_view(GET)
def source(request: HttpRequest) -> JsonResponse:
    return _provider(request, Source, "source")


@api_view(GET)
def boards(request: HttpRequest) -> JsonResponse:
    return _providers(request, Board, "List of boards")


@api_view(GET)
def board(request: HttpRequest) -> JsonResponse:
    return _provider(request, Board, "board")


@api_view(GET)
def storing_profiles(request: HttpRequest) -> JsonResponse:
    query = p.parse_profile_list(p.RawParams.from_query(request.GET), max_limit=conf.max_limit())
    found = dict(Source.objects.filter(key__in=query.source_keys).values_list("key", "name"))
    if len(found) != len(set(query.source_keys)):
        raise UnknownObject("source")
    rows = Profile.objects.filter(source__key__in=query.source_keys)
    if query.name:
        rows = rows.filter(Q(full_name__icontains=query.name))
    if query.key:
        rows = rows.filter(key=query.key)
    if query.reference:
        rows = rows.filter(reference=query.reference)
    if query.created_at_min:
        rows = rows.filter(created_at__gte=query.created_at_min)
    if query.created_at_max:
        rows = rows.filter(created_at__lte=query.created_at_max)
    column = query.sort_by if query.order_by == "asc" else f"-{query.sort_by}"
    rows = rows.order_by(column, "id")
    values = rows.values_list("source__key", "payload")
    if query.geo is not None:
        # Profiles are few (hundreds): a Python pass is fine here.
        matching = [(sk, pl) for sk, pl in values if _profile_within(pl, query.geo)]
        total, page_rows = len(matching), matching[(query.page - 1) * query.limit : query.page * query.limit]
    else:
        total, page_rows = (
            rows.count(),
            list(values[(query.page - 1) * query.limit : query.page * query.limit]),
        )
    data = [
        serializers.profile(pl, source_key=sk, source_name=found[sk], full=query.return_profile)
        for sk, pl in page_rows
    ]
    return json_response(
        serializers.listing("List of profiles", data, page=query.page, limit=query.limit, total=total)
    )


def _profile_within(payload: dict[str, Any], geo: p.GeoFilter) -> bool:
    location = ((payload.get("info") or {}).get("location")) or {}
    lat, lng = location.get("lat"), location.get("lng")
    if not isinstance(lat, int | float) or not isinstance(lng, int | float):
        return False
    import numpy as np

    return bool(haversine_km(np.asarray([lat]), np.asarray([lng]), geo.lat, geo.lng)[0] <= geo.distance_km)


@api_view(GET)
def profile_indexing(request: HttpRequest) -> JsonResponse:
    raw = p.RawParams.from_query(request.GET)
    raw.check_known(frozenset({"source_key", "key", "reference"}))
    if raw.get("source_key") is None:
        raise p.BadParameter("source_key", "is required")
    source_key = p.as_key("source_key", raw.get("source_key"))
    source_row = Source.objects.filter(key=source_key).first()
    if source_row is None:
        raise UnknownObject("source")
    rows = Profile.objects.filter(source=source_row)
    if raw.get("key") is not None:
        rows = rows.filter(key=p.as_key("key", raw.get("key")))
    elif raw.get("reference") is not None:
        rows = rows.filter(reference=p.as_str("reference", raw.get("reference"), 200))
    else:
        raise p.BadParameter("key", "key or reference is required")
    payload = rows.values_list("payload", flat=True).first()
    if payload is None:
        raise UnknownObject("profile")
    data = serializers.profile(payload, source_key=source_row.key, source_name=source_row.name)
    return json_response({"code": 200, "message": "Profile details", "data": data})


def _board_job(raw: p.RawParams) -> tuple[Board, QuerySet[Job]]:
    """The board named by `board_key` and its job rows matching `key` or `reference` (GET
    job/indexing, PATCH job/indexing/archive). Raises BadParameter, UnknownObject("board")."""
    if raw.get("board_key") is None:
        raise p.BadParameter("board_key", "is required")
    board_row = Board.objects.filter(key=p.as_key("board_key", raw.get("board_key"))).first()
    if board_row is None:
        raise UnknownObject("board")
    rows = Job.objects.filter(board=board_row)
    if raw.get("key") is not None:
        return board_row, rows.filter(key=p.as_key("key", raw.get("key")))
    if raw.get("reference") is not None:
        return board_row, rows.filter(reference=p.as_str("reference", raw.get("reference"), 200))
    raise p.BadParameter("key", "key or reference is required")


@api_view(("GET", "POST"))
def job_indexing(request: HttpRequest) -> JsonResponse:
    """POST: index a Job object into a board (issue 4). GET: one job by key or reference."""
    if request.method == "POST":
        return _index_job(request)
    raw = p.RawParams.from_query(request.GET)
    raw.check_known(frozenset({"board_key", "key", "reference"}))
    board_row, rows = _board_job(raw)
    found = rows.values_list("id", "payload").first()
    if found is None:
        raise UnknownObject("job")
    data = serializers.job(found[1], job_id=found[0], board_name=board_row.name)
    return json_response({"code": 200, "message": "Job details", "data": data})


def _duplicate(reference: str) -> p.BadParameter:
    return p.BadParameter(
        "reference", f"a job with reference {reference!r:.220} already exists in this board"
    )


def _index_job(request: HttpRequest) -> JsonResponse:
    content_type = request.content_type or ""
    if content_type != "application/json":
        raise p.BadParameter("Content-Type", f"must be application/json, got {content_type or 'none'}")
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise p.BadParameter("body", "is not valid JSON") from None
    payload = job_input.parse_job(p.reject_lone_surrogates(body), now=timezone.now())
    board_row = Board.objects.filter(key=payload["board_key"]).first()
    if board_row is None:
        raise UnknownObject("board")
    reference = payload["reference"] or ""
    key = secrets.token_hex(20)
    payload = {"key": key, **payload}
    try:
        with transaction.atomic():
            if reference and Job.objects.filter(board=board_row, reference=reference).exists():
                raise _duplicate(reference)
            row = Job.objects.create(
                key=key,
                board=board_row,
                reference=reference,
                payload=payload,
                created_at=parse_hrflow_datetime(payload["created_at"]),
                updated_at=parse_hrflow_datetime(payload["updated_at"]),
            )
            # Same transaction: a worker that sees the new version also sees the job.
            bump_index_version(append_only=True)
    except IntegrityError:  # a concurrent request indexed the same reference first
        raise _duplicate(reference) from None
    data = serializers.job(payload, job_id=row.id, board_name=board_row.name)
    return json_response({"code": 201, "message": "Job created", "data": data}, status=201)


ARCHIVE_PARAMS = frozenset({"board_key", "key", "reference", "is_archive"})


@api_view(("PATCH",))
def job_archive(request: HttpRequest) -> JsonResponse:
    """PATCH job/indexing/archive (SDK `job.storing.archive`): a JSON body with `board_key`,
    `key` or `reference`, and `is_archive` (1 archives, the default; 0 restores). Answers as
    recorded (/work/shared/hrflow-recorded/job_indexing_archive_200.json): `{"code": 200,
    "message": "Job archived", "data": {"key": …}}`. The archived job is no longer scored;
    GET job/indexing still returns it, with `archive` set to the date it was archived."""
    raw = p.RawParams.from_body(request.body)
    raw.check_known(ARCHIVE_PARAMS)
    _, rows = _board_job(raw)
    flag = raw.get("is_archive")
    if flag not in (None, 0, 1, True, False, "0", "1"):
        raise p.BadParameter("is_archive", "must be 0 or 1")
    archive = flag is None or str(int(flag)) == "1"
    with transaction.atomic():
        row = rows.select_for_update().first()
        if row is None:
            raise UnknownObject("job")
        row.archived_at = timezone.now() if archive else None
        row.payload = {
            **row.payload,
            "archived_at": format_hrflow_datetime(row.archived_at) if row.archived_at else None,
        }
        row.save(update_fields=["archived_at", "payload"])
        bump_index_version()  # a job left the scored set: every worker rebuilds its index
    message = "Job archived" if archive else "Job unarchived"
    return json_response({"code": 200, "message": message, "data": {"key": row.key}})
