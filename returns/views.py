"""Pages of the quarterly returns cycle. Each view states who may use it; the rules are in
returns/permissions.py and the writes in returns/actions.py."""

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from core.access import allowed
from indicators.models import Indicator, Return, Value
from plans.models import Action
from returns import actions, bulk, permissions, queries, review
from returns.completeness import completeness_of
from returns.forms import ActionUpdateForm, ReopenForm, ReturnForm, ReviewForm, UploadForm
from returns.models import ActionUpdate, ReportingRound, RoundState


def _open_round(slug: str) -> ReportingRound:
    round_ = queries.round_by_slug(slug)
    if round_ is None:
        raise Http404("No such reporting round")
    return round_


@allowed(permissions.can_enter_returns)
def my_returns(request: HttpRequest) -> HttpResponse:
    """Who: officers, and partner users allowed to enter returns. Their returns owed in open rounds."""
    rounds = list(ReportingRound.objects.open().select_related("period__parent").order_by("period__start"))
    rows = queries.return_rows(queries.indicators_for(request.user), rounds)
    return render(
        request,
        "returns/my_returns.html",
        {
            "rounds": rounds,
            "rows": rows,
            "action_rows": queries.action_rows(request.user, rounds),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@allowed(permissions.can_enter_returns)
def return_entry(request: HttpRequest, round_slug: str, indicator_slug: str) -> HttpResponse:
    """Who: the indicator's officers (or its lead partner's users). Enter, save and submit a return."""
    round_ = _open_round(round_slug)
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    if not permissions.can_edit_indicator(request.user, indicator):
        raise PermissionDenied
    period = actions.period_owed(indicator, round_.period)
    if period is None:
        raise Http404("This indicator owes no return in this round")
    context = actions.load_context(indicator, period)
    editable = round_.state == RoundState.OPEN and (
        context.submission is None or context.submission.status in actions.EDITABLE
    )
    form = ReturnForm(request.POST or None, context=context)
    if request.method == "POST":
        if not editable:
            messages.error(request, "This return can no longer be edited.")
            return redirect(request.path)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                actions.do_save_return(
                    indicator=indicator,
                    period=period,
                    entered=form.to_input(),
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    submit=submit,
                )
            except actions.InvalidEntry as error:
                form.add_problems(error.problems)
            except actions.WorkflowError as error:
                form.add_error(None, str(error))
            else:
                verb = "submitted for sign-off" if submit else "saved as a draft"
                messages.success(request, f"{indicator.code or indicator.title} for {period.label} {verb}.")
                return redirect("returns:my-returns")
    targets = [
        (label, context.targets.get(b.pk if b else None), context.previous.get(b.pk if b else None))
        for _k, label, b in context.part_keys()
    ]
    return render(
        request,
        "returns/return_entry.html",
        {
            "form": form,
            "indicator": indicator,
            "period": period,
            "round": round_,
            "context": context,
            "editable": editable,
            "targets": targets,
        },
    )


@require_http_methods(["GET", "POST"])
@allowed(permissions.is_officer)
def action_update_entry(request: HttpRequest, round_slug: str, action_id: int) -> HttpResponse:
    """Who: the action's officers. The action's progress this quarter."""
    round_ = _open_round(round_slug)
    action = get_object_or_404(Action.objects.select_related("plan"), pk=action_id)
    if not permissions.can_edit_action(request.user, action):
        raise PermissionDenied
    update = ActionUpdate.objects.filter(action=action, period=round_.period).first()
    editable = round_.state == RoundState.OPEN and (update is None or update.status in actions.EDITABLE)
    initial = {"version": update.version if update else 0}
    if update:
        initial.update(
            progress=update.progress,
            percent_complete=update.percent_complete,
            commentary=update.commentary,
            revised_date=update.revised_date,
        )
    form = ActionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and editable and form.is_valid():
        try:
            actions.do_save_action_update(
                action=action,
                period=round_.period,
                entered=form.to_input(),
                by=request.user,
                expected_version=form.cleaned_data["version"],
                submit="submit" in request.POST,
            )
        except actions.InvalidEntry as error:
            for problem in error.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        except actions.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action update saved.")
            return redirect("returns:my-returns")
    return render(
        request,
        "returns/action_update_entry.html",
        {"form": form, "action": action, "round": round_, "update": update, "editable": editable},
    )


@allowed(permissions.is_performance_team)
def sign_off(request: HttpRequest) -> HttpResponse:
    """Who: the performance team. Submitted returns and action updates, oldest first."""
    returns, updates = queries.sign_off_queue()
    return render(request, "returns/sign_off.html", {"returns": returns, "updates": updates})


@require_http_methods(["GET", "POST"])
@allowed(permissions.is_performance_team)
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Who: the performance team. Approve a submitted return or return it with a reason, seeing it judged
    as it would be published, the figures before it, its commentary's history and what changed since it
    was last returned (returns/review.py)."""
    submission = get_object_or_404(
        Return.objects.select_related("indicator", "period__parent", "entered_by").prefetch_related(
            Prefetch("values", Value.objects.select_related("breakdown"))
        ),
        pk=pk,
    )
    form, done = _decide(
        request,
        submission,
        lambda **decision: actions.do_review_return(submission=submission, **decision),
        lambda approve: f"{submission} {'approved' if approve else 'returned to the officer'}.",
    )
    if done:
        return done
    return render(
        request,
        "returns/review_return.html",
        {"form": form, "submission": submission, "review": review.review_of(submission)},
    )


@require_http_methods(["GET", "POST"])
@allowed(permissions.is_performance_team)
def review_action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Who: the performance team. Approve a submitted action update or return it."""
    update = get_object_or_404(ActionUpdate.objects.select_related("action__plan", "period", "entered_by"), pk=pk)
    form, done = _decide(
        request,
        update,
        lambda **decision: actions.do_review_action_update(update=update, **decision),
        lambda approve: "Action update signed off." if approve else "Action update returned.",
    )
    return done or render(request, "returns/review_action_update.html", {"form": form, "update": update})


def _decide(request: HttpRequest, item, record, said) -> tuple[ReviewForm, HttpResponse | None]:
    """The sign-off decision on a return or an action update. A valid decision is recorded with
    `record` and leads back to the sign-off list; otherwise the form, with any error, is for the page."""
    form = ReviewForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            record(
                by=request.user,
                approve=approve,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except actions.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, said(approve))
            return form, redirect("returns:sign-off")
    return form, None


@allowed(permissions.is_performance_team)
def rounds(request: HttpRequest) -> HttpResponse:
    """Who: the performance team. The reporting calendar: open, lock and reopen rounds."""
    all_rounds = ReportingRound.objects.select_related("period", "locked_by").order_by("-period__start")
    return render(
        request,
        "returns/rounds.html",
        {"rounds": all_rounds, "reopen_form": ReopenForm(), "today": timezone.localdate()},
    )


@require_POST
@allowed(permissions.is_performance_team)
def change_round(request: HttpRequest, round_slug: str, change: str) -> HttpResponse:
    """Who: the performance team. POST only: open, lock or reopen (with a reason) a round. Locking a round
    with returns still owed shows them first and asks to confirm how many (returns/lock_round.html)."""
    round_ = _open_round(round_slug)
    label = round_.period.label
    try:
        if change == "open":
            actions.do_open_round(round_=round_, by=request.user)
            done = f"{label} is open for returns."
        elif change == "lock":
            round_ = actions.do_lock_round(
                round_=round_, by=request.user, outstanding_confirmed=_whole_number(request.POST.get("outstanding"))
            )
            done = f"{label} is {round_.state_label.lower()}: nobody can change its returns until it is reopened."
        elif change == "reopen":
            form = ReopenForm(request.POST)
            if not form.is_valid():
                raise actions.WorkflowError("Give the reason for reopening the round.")
            actions.do_reopen_round(round_=round_, by=request.user, reason=form.cleaned_data["reason"])
            done = f"{label} is open for returns again."
        else:
            raise Http404
    except actions.LockNeedsConfirmation as ask:
        return render(
            request,
            "returns/lock_round.html",
            {
                "round": round_,
                "outstanding": ask.outstanding,
                "changed": "outstanding" in request.POST,
                "today": timezone.localdate(),
            },
        )
    except actions.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("returns:rounds")


def _whole_number(text: str | None) -> int | None:
    """A count posted back by a confirmation form; None for anything else (which asks again)."""
    return int(text) if text is not None and text.isdigit() and len(text) < 10 else None


@allowed(permissions.is_performance_team)
def completeness(request: HttpRequest) -> HttpResponse:
    """Who: the performance team. Every return owed in a round (officers', lead partners', action updates)
    by status, with totals and percentages per department, plan and person; who is late; a reminder per
    person (returns/completeness.py)."""
    all_rounds = list(ReportingRound.objects.select_related("period").order_by("-period__start"))
    chosen = queries.round_by_slug(request.GET.get("round", "")) if request.GET.get("round") else None
    chosen = chosen or next(
        (r for r in all_rounds if r.state == RoundState.OPEN), all_rounds[0] if all_rounds else None
    )
    today = timezone.localdate()
    data = completeness_of(chosen, today) if chosen else None
    return render(
        request,
        "returns/completeness.html",
        {"rounds": all_rounds, "chosen": chosen, "data": data, "today": today},
    )


@require_POST
@allowed(permissions.is_performance_team)
def send_reminder(request: HttpRequest, round_slug: str, user_id: int) -> HttpResponse:
    """Who: the performance team. POST only: email one person the returns they owe in an open round now,
    under the daily reminders' rules, logged with who sent it (returns.actions.do_send_reminder)."""
    round_ = _open_round(round_slug)
    person = get_object_or_404(User.objects.select_related("profile__partner"), pk=user_id)
    try:
        line = actions.do_send_reminder(person=person, round_=round_, today=timezone.localdate(), by=request.user)
    except actions.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Sent: {line[0].lower()}{line[1:]}.")
    return redirect(f"{reverse('returns:completeness')}?{urlencode({'round': round_.period.slug})}#people")


@allowed(permissions.can_enter_returns)
def download(request: HttpRequest, round_slug: str, file_format: str) -> HttpResponse:
    """Who: officers and allowed partner users. Their returns of the round as a spreadsheet to fill in."""
    round_ = _open_round(round_slug)
    if file_format not in bulk.FORMATS:
        raise Http404
    content, content_type = bulk.my_returns_file(request.user, round_, file_format)
    response = HttpResponse(content, content_type=content_type)
    filename = f"returns-{queries.period_slug(round_.period)}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@allowed(permissions.can_enter_returns)
def upload(request: HttpRequest, round_slug: str) -> HttpResponse:
    """Who: officers and allowed partner users. Fill drafts from a completed spreadsheet, all or nothing."""
    round_ = _open_round(round_slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = bulk.upload_returns(
            request.user, round_, form.cleaned_data["file"], submit=form.cleaned_data["then"] == "submit"
        )
        if report.ok:
            messages.success(request, " ".join([report.summary(), *report.notes]))
            return redirect("returns:my-returns")
    return render(request, "returns/upload.html", {"form": form, "round": round_, "report": report})
