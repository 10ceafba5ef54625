"""`manage.py create_board --name NAME [--key KEY]`: add a board to the sandbox; prints its key.

HrFlow creates boards in its web app, not through the API, so the sandbox has no endpoint for
it. Tests use this to index jobs into a board of their own (tests/fixtures/sandbox.py) instead
of the demo boards, so what they index never changes another test's ranking. Running servers
see the board on their next request (the index version moves; no rebuild: no job changed).
"""

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sandbox.models import Board, bump_index_version
from sandbox.params import BadParameter, as_key


class Command(BaseCommand):
    help = "Create a board (name, optional 40-hex key) and print its key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--key", default=None, help="40 lowercase hex characters (default: random)")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name or len(name) > 200:
            raise CommandError("--name must hold 1 to 200 characters")
        try:
            key = as_key("--key", options["key"]) if options["key"] else secrets.token_hex(20)
        except BadParameter as exc:
            raise CommandError(exc.message) from None
        with transaction.atomic():
            if Board.objects.filter(key=key).exists():
                raise CommandError(f"a board with key {key} already exists")
            Board.objects.create(key=key, name=name)
            bump_index_version(append_only=True)
        self.stdout.write(key)
