"""Signing in as an attacker would try it: lockout, weak passwords, the second factor, session limits."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, SecurityEventKind
from core.roles import Role
from tests.conftest import Client, app_code, give_app, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # make_user's
ADDRESS = "203.0.113.5"
ELSEWHERE = "198.51.100.7"


def sign_in(client, username: str, password: str = PASSWORD, *, address: str = ADDRESS, next_page: str = ""):
    data = {"username": username, "password": password, **({"next": next_page} if next_page else {})}
    return client.post("/accounts/login/", data, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# ---- Lockout ------------------------------------------------------------------------------------


def test_ten_failures_lock_the_pair_the_right_password_is_refused_and_the_cool_off_ends_it(client, people):
    for attempt in range(1, 10):
        response = sign_in(client, "olivia", f"wrong-guess-{attempt}")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()

    tenth = sign_in(client, "olivia", "wrong-guess-10")
    assert tenth.status_code == 429
    assert "Sign-in locked" in tenth.content.decode()
    assert "locked for 15 minutes" in tenth.content.decode()

    eleventh = sign_in(client, "olivia", PASSWORD)  # the right password
    assert eleventh.status_code == 429
    assert "Even the right password will not work" in eleventh.content.decode()
    assert not signed_in(client)

    locked = SecurityEvent.objects.get(kind=SecurityEventKind.LOCKED)
    assert (locked.username, locked.user, locked.detail) == (
        "olivia",
        people["officer"],
        f"from {ADDRESS} after 10 failures",
    )

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=14)):
        assert sign_in(client, "olivia", PASSWORD).status_code == 429  # still locked
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        response = sign_in(client, "olivia", PASSWORD)
        assert (response.status_code, response["Location"]) == (302, "/signed-in/")
        assert signed_in(client)


def test_the_lock_is_on_the_username_and_address_together(client, people):
    for attempt in range(10):
        sign_in(client, "olivia", f"wrong-guess-{attempt}")
    assert sign_in(client, "olivia", PASSWORD).status_code == 429
    # Neither another account from the same address, nor the same account from elsewhere, is locked:
    # an attacker cannot lock a colleague out of their own desk.
    assert sign_in(client, "councillor", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "olivia", PASSWORD, address=ELSEWHERE).status_code == 302


def test_the_performance_team_sees_and_lifts_a_lock_and_the_lift_is_recorded(client, people):
    for attempt in range(10):
        sign_in(client, "olivia", f"wrong-guess-{attempt}")

    team = Client()
    team.force_login(people["approver"])
    page = team.get("/accounts/locks/").content.decode()
    assert "olivia" in page and ADDRESS in page
    lift = re.search(r'action="(/accounts/locks/\d+/lift/)"', page).group(1)
    response = team.post(lift, follow=True)
    assert f"Lifted the lock on olivia from {ADDRESS}" in response.content.decode()
    assert "No sign-in is locked now." in response.content.decode()

    lifted = SecurityEvent.objects.get(kind=SecurityEventKind.LOCK_LIFTED)
    assert (lifted.username, lifted.by, lifted.detail) == ("olivia", people["approver"], f"from {ADDRESS}")
    assert sign_in(client, "olivia", PASSWORD).status_code == 302


def test_only_the_performance_team_and_administrators_may_lift_locks(client, people):
    for role, status in [("officer", 403), ("member", 403), ("approver", 200), ("admin", 200)]:
        client.force_login(people[role])
        assert client.get("/accounts/locks/").status_code == status, role
    client.force_login(people["officer"])
    assert client.post("/accounts/locks/1/lift/").status_code == 403


def test_the_admin_has_no_password_form_of_its_own(client, people):
    """One door to guard: the admin's login sends people to the portal's sign-in, and a password posted
    to it is never checked (so it cannot be used to get round the lockout)."""
    response = client.post("/admin/login/?next=/admin/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert not signed_in(client)


def test_the_api_takes_no_passwords_to_guess(client, people):
    """The API signs in through the website's session only: a password sent with it is ignored, so it
    answers the same whether the password is right or wrong."""
    url = "/api/v1/returns/ni-156/2010-11-q3/"
    right = client.get(url, HTTP_AUTHORIZATION="Basic b2xpdmlhOmEtbG9uZy10ZXN0LXBhc3N3b3Jk")  # olivia:a-long-...
    wrong = client.get(url, HTTP_AUTHORIZATION="Basic b2xpdmlhOndyb25n")  # olivia:wrong
    assert right.status_code == wrong.status_code == 403
    assert right.json() == wrong.json() == {"detail": "Authentication credentials were not provided."}


# ---- Passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
        ("Password123!", "This is similar to a commonly used password."),
        ("officer2officer2", "Your password must not contain your username."),
        ("qwertyuiop12", "This is similar to a commonly used password."),
        ("lutoncouncil", "This password would be easy to guess."),
        ("brief-words", "This password is too short. It must contain at least 12 characters."),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    officer = make_user("officer", Role.OFFICER)
    with pytest.raises(ValidationError) as refused:
        validate_password(password, officer)
    assert any(reason in message for message in refused.value.messages), refused.value.messages


@pytest.mark.parametrize("password", ["vivid-otter-ledger-42", "luton-demo-password", "correct horse battery"])
def test_passwords_of_unrelated_words_are_accepted(password):
    validate_password(password, make_user("officer", Role.OFFICER))


def test_changing_the_password_refuses_a_weak_one_and_signs_out_every_other_session(people):
    officer = people["officer"]
    here, elsewhere = Client(), Client()
    here.force_login(officer)
    elsewhere.force_login(officer)

    weak = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Password123!", "new_password2": "Password123!"},
    )
    assert "This is similar to a commonly used password." in weak.content.decode()

    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "vivid-otter-ledger-42", "new_password2": "vivid-otter-ledger-42"},
        follow=True,
    )
    assert "Your password has been changed. Anywhere else you were signed in has been signed out." in (
        response.content.decode()
    )
    assert here.get("/dashboard/").status_code == 200
    assert elsewhere.get("/dashboard/")["Location"] == "/accounts/login/?next=/dashboard/"
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_CHANGED, user=officer).count() == 1


# ---- Two factors --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["approver", "admin"])
@pytest.mark.parametrize("page", ["/returns/sign-off/", "/returns/rounds/", "/accounts/locks/", "/admin/"])
def test_approvers_and_administrators_reach_nothing_with_a_password_alone(client, people, role, page):
    client.force_login(people[role], second_factor=False)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/two-factor/set-up/?next={page.replace('/', '%2F')}"

    give_app(people[role])  # once they have an app, the code step instead
    assert client.get(page)["Location"] == f"/accounts/two-factor/code/?next={page.replace('/', '%2F')}"


def test_the_api_refuses_a_session_without_its_second_factor(client, people):
    client.force_login(people["approver"], second_factor=False)
    response = client.get("/api/v1/returns/ni-156/2010-11-q3/")
    assert response.status_code == 403
    assert "Finish signing in" in response.json()["detail"]


def _key(page: str) -> bytes:
    import base64

    typed = re.search(r'luton-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    return base64.b32decode(typed)


def test_an_approver_sets_up_an_app_on_first_sign_in_then_needs_a_code_every_time(client, people):
    from django_otp.oath import TOTP

    response = sign_in(client, "arun", next_page="/returns/sign-off/")
    assert response["Location"] == "/accounts/two-factor/set-up/?next=%2Freturns%2Fsign-off%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Your role lets you sign off figures" in page
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn on the server
    key = _key(page)

    wrong = client.post(response["Location"], {"code": "000000", "next": "/returns/sign-off/"})
    assert "That code is not right" in wrong.content.decode()
    done = client.post(response["Location"], {"code": f"{TOTP(key).token():06d}", "next": "/returns/sign-off/"})
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/returns/sign-off/").status_code == 200
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.SECOND_FACTOR_SET_UP, user=people["approver"]).exists()

    client.post("/accounts/logout/")
    step = sign_in(client, "arun", next_page="/returns/sign-off/")
    assert step["Location"] == "/accounts/two-factor/code/?next=%2Freturns%2Fsign-off%2F"
    assert client.get("/returns/sign-off/").status_code == 302
    device = TOTPDevice.objects.get(user=people["approver"])
    response = client.post(step["Location"], {"code": app_code(device), "next": "/returns/sign-off/"})
    assert response["Location"] == "/returns/sign-off/"
    assert client.get("/returns/sign-off/").status_code == 200


def test_a_used_or_wrong_code_is_refused_and_guessing_is_slowed(client, people):
    device = give_app(people["approver"])
    sign_in(client, "arun")
    code = app_code(device)
    assert client.post("/accounts/two-factor/code/", {"code": code})["Location"] == "/signed-in/"

    client.post("/accounts/logout/")
    sign_in(client, "arun")
    reused = client.post("/accounts/two-factor/code/", {"code": code})
    assert "That code is not right, or has been used already" in reused.content.decode()
    again = client.post("/accounts/two-factor/code/", {"code": "123456"})
    assert re.search(r"Too many wrong codes\. Wait \d seconds?, then try again\.", again.content.decode())
    assert client.get("/returns/sign-off/").status_code == 302


def test_a_recovery_code_works_once_in_place_of_the_app(client, people):
    client.force_login(people["approver"])
    page = client.post("/accounts/two-factor/recovery-codes/").content.decode()
    first = re.findall(r"<code>([a-z2-7]{8})</code>", page)[0]

    client.post("/accounts/logout/")
    sign_in(client, "arun")
    response = client.post("/accounts/two-factor/code/", {"code": first.upper()}, follow=True)
    assert "You used a recovery code: 9 left." in response.content.decode()
    assert client.get("/returns/sign-off/").status_code == 200

    client.post("/accounts/logout/")
    sign_in(client, "arun")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        refused = client.post("/accounts/two-factor/code/", {"code": first})
    assert "That code is not right, or has been used already" in refused.content.decode()


def test_two_factor_is_optional_for_others_and_then_asked_for_at_every_sign_in(client, people):
    from django_otp.oath import TOTP

    assert sign_in(client, "olivia")["Location"] == "/signed-in/"  # no second step
    page = client.get("/accounts/").content.decode()
    assert "Off (you can turn it on)" in page
    set_up = client.get("/accounts/two-factor/set-up/").content.decode()
    assert "A second step when you sign in" in set_up
    client.post("/accounts/two-factor/set-up/", {"code": f"{TOTP(_key(set_up)).token():06d}"})
    assert "On: a code from your authenticator app" in client.get("/accounts/").content.decode()

    client.post("/accounts/logout/")
    assert sign_in(client, "olivia")["Location"] == "/accounts/two-factor/code/?next=%2Fsigned-in%2F"
    assert client.get("/returns/")["Location"] == "/accounts/two-factor/code/?next=%2Freturns%2F"


def test_an_administrator_resets_a_lost_phone_and_it_is_recorded(admin_client, admin_user, people):
    from django.contrib.admin.models import LogEntry

    approver = people["approver"]
    lost = Client()
    lost.force_login(approver)  # signed in with the phone since lost
    assert lost.get("/returns/sign-off/").status_code == 200
    assert StaticToken.objects.filter(device__user=approver).count() == 0  # (force_login gives an app only)

    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "reset_second_factor", "_selected_action": [approver.pk]},
        follow=True,
    )
    assert "Reset two-factor sign-in for arun" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=approver).exists()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SECOND_FACTOR_RESET)
    assert (event.user, event.by, event.channel) == (approver, admin_user, "admin")
    assert LogEntry.objects.filter(object_id=str(approver.pk), change_message__contains="two-factor").exists()
    # The session verified with the old phone is not verified any more: set up a new app first.
    assert lost.get("/returns/sign-off/")["Location"].startswith("/accounts/two-factor/set-up/")


def test_the_reset_command_for_the_day_the_only_administrator_loses_a_phone(people):
    give_app(people["admin"])
    call_command("reset_two_factor", "ada")
    assert not TOTPDevice.objects.filter(user=people["admin"]).exists()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SECOND_FACTOR_RESET)
    assert (event.by, event.channel) == (None, "command")


# ---- Sessions -----------------------------------------------------------------------------------


def test_thirty_idle_minutes_sign_you_out(client, people):
    client.force_login(people["member"])
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(minutes=20)):
        assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=45)):  # 25 idle minutes: still signed in
        assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=76)):  # 31 idle minutes
        response = client.get("/dashboard/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/dashboard/"
    assert "You were signed out after 30 minutes without activity." in response.content.decode()


def test_twelve_hours_after_signing_in_you_are_signed_out_however_busy(client, people, settings):
    settings.LUTON_SESSION_IDLE_MINUTES = 24 * 60  # take idleness out of it
    client.force_login(people["member"])
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(hours=11, minutes=59)):
        assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=1)):
        response = client.get("/dashboard/", follow=True)
    assert "You were signed out because you signed in more than 12 hours ago." in response.content.decode()


def test_the_session_cookie_lives_no_longer_than_the_absolute_limit(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


# ---- The demo accounts (make run) -------------------------------------------------------------------


def test_a_weak_demo_password_override_is_refused(settings, monkeypatch):
    from django.core.management.base import CommandError

    settings.DEBUG = True
    monkeypatch.setenv("LUTON_DEMO_PASSWORD", "Password123!")
    with pytest.raises(CommandError, match="LUTON_DEMO_PASSWORD is not allowed: This password would be easy to guess"):
        call_command("create_demo_accounts")


def test_the_demo_approver_and_admin_are_led_to_set_up_an_app_and_the_others_sign_straight_in(client):
    from returns import demo

    demo.create_accounts(demo.DEMO_PASSWORD_DEFAULT)
    # Everyone goes first to their own starting page (portal.views.landing); the performance team
    # and administrators are stopped on the way to set up an authenticator app.
    for username, first_step, starting_page in [
        ("approver", "/accounts/two-factor/set-up/?next=%2Fsigned-in%2F", None),
        ("admin", "/accounts/two-factor/set-up/?next=%2Fsigned-in%2F", None),
        ("officer", "/signed-in/", "/returns/"),
        ("member", "/signed-in/", "/dashboard/"),
        ("partner", "/signed-in/", "/partners/my-targets/"),
    ]:
        client.logout()
        response = sign_in(client, username, demo.DEMO_PASSWORD_DEFAULT)
        assert response["Location"] == first_step, username
        if starting_page:
            assert client.get(first_step)["Location"].startswith(starting_page), username
