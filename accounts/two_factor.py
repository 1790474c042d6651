"""Two-factor sign-in: a code from an authenticator app (TOTP), or a single-use recovery code.

Required for the performance team, administrators and anyone who may open the admin; anyone else may
turn it on from their account page, and once on it is asked for at every sign-in. The password step
signs the person in but `SecondFactorMiddleware` lets such a session reach nothing except the code
and set-up pages (and signing out) until a code has been checked; only then does django-otp mark
the session verified. The admin checks the same mark (accounts.admin_site).
"""

import base64
import re

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.events import record_event
from accounts.models import SecurityEventKind
from core.audit import Channel
from core.roles import is_performance_team

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
_APP_CODE = re.compile(r"^\d{6}$")


def needs_second_factor(user) -> bool:
    """Administrators, the performance team and anyone who may open the admin must use two factors."""
    return user.is_authenticated and (user.is_superuser or user.is_staff or is_performance_team(user))


def app_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _exempt_paths() -> set[str]:
    return {
        reverse("accounts:two-factor-code"),
        reverse("accounts:two-factor-set-up"),
        reverse("logout"),
        reverse("healthz"),
    }


class SecondFactorMiddleware:
    """A session signed in with the password alone, for an account that needs (or has) a second factor,
    reaches only the code and set-up pages and sign-out; everything else sends it there first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.path not in _exempt_paths()
            and (needs_second_factor(user) or has_second_factor(user))
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Finish signing in: enter the code from your authenticator app on the website."},
                    status=403,
                )
            step = "accounts:two-factor-code" if has_second_factor(user) else "accounts:two-factor-set-up"
            return redirect(f"{reverse(step)}?{_next_query(request.get_full_path())}")
        return self.get_response(request)


def _next_query(path: str) -> str:
    return urlencode({"next": path})


def safe_next(request: HttpRequest, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    """The `next` page asked for, if it is on this site; else `default` (a URL name): by default
    where signing in leads, each role's own starting page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": "Enter the code from your authenticator app, or a recovery code"},
    )

    def clean_code(self) -> str:
        return re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()


def _refusal(device) -> str | None:
    """Why `device` will not check a code now (too many wrong codes), in words, or None."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = (data or {}).get("locked_until")
    if until is None:
        return "Too many wrong codes. Wait a minute, then try again."
    seconds = max(1, round((until - timezone.now()).total_seconds()))
    return f"Too many wrong codes. Wait {seconds} second{'s' if seconds != 1 else ''}, then try again."


def check_code(user, code: str):
    """The device that accepts `code` (a 6-digit app code or a recovery code), or an error in words."""
    if _APP_CODE.match(code):
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return None, "That is not a code for this account. Enter the 6-digit code from your authenticator app."
    for device in devices:
        refusal = _refusal(device)
        if refusal:
            return None, refusal
        accepted = verify_token(user, device.persistent_id, code)
        if accepted is not None:
            return accepted, None
    return None, "That code is not right, or has been used already. Enter the code your app shows now."


def _complete_sign_in(request: HttpRequest, device) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a fresh session id once fully signed in


@require_http_methods(["GET", "POST"])
@login_required
def code(request: HttpRequest) -> HttpResponse:
    """Who: a person signed in with their password whose account has a second factor. The code step."""
    if request.user.is_verified():
        return redirect(safe_next(request))
    if not has_second_factor(request.user):
        return redirect(f"{reverse('accounts:two-factor-set-up')}?{_next_query(safe_next(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, problem = check_code(request.user, form.cleaned_data["code"])
        if device is not None:
            _complete_sign_in(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You used a recovery code: {left} left. Get new ones from your account page before they run out.",
                )
            return redirect(safe_next(request))
        form.add_error("code", problem)
    return render(request, "accounts/two_factor_code.html", {"form": form, "next": safe_next(request)})


def _recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with a new set, and return them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    for token in codes:
        device.token_set.create(token=token)
    return codes


PENDING_KEY = "luton_pending_app_key"


def _pending_app_device(request: HttpRequest) -> TOTPDevice:
    """The app being set up, not yet saved: its key waits in the session, so that a code scanned before
    a page reload still works and looking at the page writes nothing."""
    key = request.session.get(PENDING_KEY)
    if key is None:
        key = request.session[PENDING_KEY] = default_key()
    return TOTPDevice(user=request.user, name=APP_DEVICE_NAME, key=key, confirmed=True)


def _proves(device: TOTPDevice, entered: str) -> bool:
    """Does `entered` match the code the new app shows (give or take one 30-second step)?"""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    if not totp.verify(int(entered), tolerance=device.tolerance):
        return False
    device.last_t = totp.t()  # this code may not be used again to sign in
    return True


def key_for_people(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_http_methods(["GET", "POST"])
@login_required
def set_up(request: HttpRequest) -> HttpResponse:
    """Who: any signed-in person (the performance team and administrators must). Set up an authenticator
    app: scan the QR code or type the key, then enter a code to prove it works. Replaces any earlier app."""
    if has_second_factor(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:two-factor-code')}?{_next_query(safe_next(request))}")
    device = _pending_app_device(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entered = form.cleaned_data["code"]
        if not _APP_CODE.match(entered):
            form.add_error("code", "Enter the 6-digit code your authenticator app shows for Luton Plan")
        elif not _proves(device, entered):
            form.add_error(
                "code", "That code is not right. Check the app shows Luton Plan, and enter the code it shows now."
            )
        else:
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user).delete()
                device.save()
                codes = _recovery_codes(request.user)
                record_event(
                    kind=SecurityEventKind.SECOND_FACTOR_SET_UP,
                    username=request.user.get_username(),
                    user=request.user,
                    by=request.user,
                    channel=Channel.FORM,
                )
            del request.session[PENDING_KEY]
            _complete_sign_in(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "new": True, "next": safe_next(request, default="accounts:account")},
            )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_code": qr.svg_data_uri(scale=5, border=2),
        "key": key_for_people(device),
        "required": needs_second_factor(request.user),
        "next": safe_next(request, default="accounts:account"),
    }
    return render(request, "accounts/two_factor_set_up.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Who: a person signed in with their second factor. See the recovery codes left, or get a new set
    (the old ones stop working)."""
    if not has_second_factor(request.user):
        return redirect("accounts:two-factor-set-up")
    if request.method == "POST":
        codes = _recovery_codes(request.user)
        record_event(
            kind=SecurityEventKind.RECOVERY_CODES_RENEWED,
            username=request.user.get_username(),
            user=request.user,
            by=request.user,
            channel=Channel.FORM,
        )
        return render(
            request, "accounts/recovery_codes.html", {"codes": codes, "new": True, "next": reverse("accounts:account")}
        )
    codes = list(StaticToken.objects.filter(device__user=request.user).order_by("pk").values_list("token", flat=True))
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "new": False, "next": reverse("accounts:account")}
    )


def do_reset_second_factor(*, user, by, channel: str) -> None:
    """Remove every second factor of `user` (a lost or stolen phone): their next sign-in asks them to set
    up an app again, and sessions verified with the old one lose that mark. Recorded as a security event."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_event(
            kind=SecurityEventKind.SECOND_FACTOR_RESET,
            username=user.get_username(),
            user=user,
            by=by,
            channel=channel,
        )
