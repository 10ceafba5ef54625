from django.core.management.base import BaseCommand, CommandError

from accounts.services import DEMO_USERNAME, DemoModeOff, demo_user_ensure


class Command(BaseCommand):
    help = "Create the demo/demo login (demo mode only)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            demo_user_ensure()
        except DemoModeOff as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"demo user ready: {DEMO_USERNAME}")
