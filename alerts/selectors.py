"""Reads of the demo Outbox: the messages the mail sink stored, those sent to the user's address."""

from __future__ import annotations

import datetime as dt
import email
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from django.http import Http404

from alerts.mailsink import MESSAGE_SUFFIX, mail_dir

MESSAGE_NAME = re.compile(r"\A[0-9]{1,20}-[0-9a-f]{8}\Z")
OUTBOX_LIMIT = 200  # newest first


@dataclass(frozen=True)
class StoredMessage:
    name: str
    subject: str
    to: tuple[str, ...]
    date: dt.datetime | None
    message_id: str
    list_unsubscribe: str
    text: str
    html: str


def _parse(path: Path) -> StoredMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    try:
        date = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        date = None
    return StoredMessage(
        name=path.name.removesuffix(MESSAGE_SUFFIX),
        subject=str(message["Subject"] or ""),
        to=tuple(addr.lower() for _, addr in getaddresses([str(v) for v in message.get_all("To", [])])),
        date=date,
        message_id=str(message["Message-ID"] or ""),
        list_unsubscribe=str(message["List-Unsubscribe"] or "").strip("<>"),
        text=text_part.get_content() if text_part is not None else "",
        html=html_part.get_content() if html_part is not None else "",
    )


def outbox_list(*, address: str) -> list[StoredMessage]:
    """The user's messages, newest first (an empty address sees none)."""
    if not address:
        return []
    folder = mail_dir()
    paths = sorted(folder.glob(f"*{MESSAGE_SUFFIX}"), reverse=True) if folder.is_dir() else []
    mine = []
    for path in paths:
        message = _parse(path)
        if address.lower() in message.to:
            mine.append(message)
        if len(mine) >= OUTBOX_LIMIT:
            break
    return mine


def outbox_get(*, address: str, name: str) -> StoredMessage:
    """One of the user's messages; a name that is not one, or another user's message, is a 404."""
    if not MESSAGE_NAME.match(name):
        raise Http404("No such message.")
    path = mail_dir() / f"{name}{MESSAGE_SUFFIX}"
    if not path.is_file():
        raise Http404("No such message.")
    message = _parse(path)
    if not address or address.lower() not in message.to:
        raise Http404("No such message.")
    return message
