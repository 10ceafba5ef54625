from django.core.management.base import BaseCommand, CommandError

from accounts.services import (
    DEMO_TEAM_NAME,
    DEMO_TEAMMATE_USERNAME,
    DEMO_USERNAME,
    DemoModeOff,
    demo_user_ensure,
)


class Command(BaseCommand):
    help = "Create the demo/demo login and its teammate teammate/teammate (demo mode only)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            demo_user_ensure()
        except DemoModeOff as exc:
            raise CommandError(str(exc)) from exc
        team = f"in {DEMO_TEAM_NAME} with {DEMO_TEAMMATE_USERNAME}"
        self.stdout.write(f"demo user ready: {DEMO_USERNAME}, {team}")
