"""Passwords: how strong they must be, and changing one.

Django's validators check the length (12 at least), common passwords, all-digit ones and likeness to
the person's details; `GuessabilityValidator` adds zxcvbn's estimate of how many guesses a password
would take, which sees repeats ("aaaaaaaaaaaa"), keyboard rows ("qwertyuiop12"), dictionary words
with the usual substitutions ("Password123!"), dates and the person's own names ("officer2officer2").
"""

from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from zxcvbn import zxcvbn

from accounts.events import record_event
from accounts.models import SecurityEventKind
from core.audit import Channel

# Words anyone attacking this portal would try first.
SITE_WORDS = ["luton", "council", "borough", "plan", "lutonplan", "performance"]
# zxcvbn's time grows with the length; beyond this a password is long enough to be judged by its start.
_LONGEST_JUDGED = 128


class GuessabilityValidator:
    """Refuses a password that zxcvbn scores below `min_score` (0-4; 3 means about 10^8 guesses)."""

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        personal = []
        if user is not None:
            email = getattr(user, "email", "") or ""
            personal = [
                getattr(user, "username", "") or "",
                getattr(user, "first_name", "") or "",
                getattr(user, "last_name", "") or "",
                email,
                email.split("@")[0],
            ]
            username = (getattr(user, "username", "") or "").lower()
            if len(username) >= 3 and username in password.lower():
                raise ValidationError("Your password must not contain your username.", code="password_has_username")
        result = zxcvbn(password[:_LONGEST_JUDGED], user_inputs=[word for word in personal if word] + SITE_WORDS)
        if result["score"] < self.min_score:
            feedback = result["feedback"]
            advice = " ".join(filter(None, [feedback.get("warning"), *feedback.get("suggestions", [])]))
            raise ValidationError(
                f"This password would be easy to guess. {advice or 'Use a few unrelated words.'}".strip(),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return (
            "Your password must be hard to guess: no repeated characters, keyboard patterns, common words "
            "or your own name. A few unrelated words make a good one."
        )


STRENGTH_HINT = (
    "At least 12 characters, and hard to guess: no repeated characters, keyboard patterns, common words "
    "or your own name. A few unrelated words make a good password."
)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].help_text = STRENGTH_HINT
        self.fields["new_password2"].label = "Confirm new password"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Who: any signed-in person, for their own account. Changing the password signs out every other
    session of the account (their stored password hash no longer matches); this one carries on."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event(
            kind=SecurityEventKind.PASSWORD_CHANGED,
            username=self.request.user.get_username(),
            user=self.request.user,
            by=self.request.user,
            channel=Channel.FORM,
        )
        messages.success(
            self.request, "Your password has been changed. Anywhere else you were signed in has been signed out."
        )
        return response
