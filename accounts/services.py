from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo login, created only in demo mode
# Where the demo's alert e-mails go: the local mail sink keeps them for the Outbox page.
DEMO_EMAIL = "demo@hrflow-dash.local"
# A teammate of the demo user, so team sharing can be tried: log in as them in another browser.
DEMO_TEAMMATE_USERNAME = "teammate"
DEMO_TEAMMATE_PASSWORD = "teammate"  # noqa: S105 - documented demo login, demo mode only
DEMO_TEAM_NAME = "Demo team"


class DemoModeOff(Exception):
    pass


def demo_user_ensure() -> AbstractBaseUser:
    """Create (or reset) the `demo`/`demo` account, and its team "Demo team" with the
    `teammate`/`teammate` account in it. Refuses outside demo mode."""
    if not settings.DEMO_MODE:
        raise DemoModeOff("HRFLOW_DASH_DEMO is off: no default account is created.")
    user = _demo_user()
    team, _ = Group.objects.get_or_create(name=DEMO_TEAM_NAME)
    teammate, created = get_user_model().objects.get_or_create(username=DEMO_TEAMMATE_USERNAME)
    if created or not teammate.check_password(DEMO_TEAMMATE_PASSWORD):
        teammate.set_password(DEMO_TEAMMATE_PASSWORD)
        teammate.save(update_fields=["password"])
    team.user_set.add(user.pk, teammate.pk)
    return user


def _demo_user() -> AbstractBaseUser:
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=DEMO_USERNAME, defaults={"email": DEMO_EMAIL})
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if not user.email:  # a demo login made before alerts existed
        user.email = DEMO_EMAIL
        user.save(update_fields=["email"])
    return user
