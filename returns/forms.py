"""Forms of the returns cycle. Field validation only: the rules for a figure live in returns/rules.py."""

from django import forms

from core.forms import TextField
from core.numbers import UNIT_SUFFIX, format_figure, parse_number, plain
from indicators import status
from indicators.models import Confidence
from plans.models import ActionStatus
from returns.actions import ActionUpdateInput, ReturnContext, ReturnInput

NUMBER_ERROR = "Enter a number, like 35.65 or -3.5"


class NumberField(forms.CharField):
    """A number typed as text (GOV.UK asks for inputmode="decimal", not type="number"), read by the portal's
    one rule (core.numbers.parse_number): commas only as thousands separators ("5,810"), a percentage may
    carry its "%", nothing is rounded."""

    def __init__(self, *, unit: str = "", **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.unit = unit
        self.suffix = UNIT_SUFFIX.get(unit, "").strip()  # shown after the input ("%"); the hint says it too
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"})

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        try:
            return parse_number(text, unit=self.unit)
        except ValueError as error:
            raise forms.ValidationError(f"{NUMBER_ERROR}: {error}") from None


def _figure_hint(context: ReturnContext, breakdown) -> str:
    """What a figure field's hint says, so that its label and hint carry all a person needs at the field:
    the unit, the target it is judged against and which way is better (a band in its own direction)."""
    indicator = context.indicator
    unit = indicator.get_unit_display().lower()
    words = [f"Unit: {unit} ({indicator.unit_label})." if indicator.unit_label else f"Unit: {unit}."]
    if indicator.rate_multiplier is not None:
        words.append(f"The figure is numerator ÷ denominator × {format_figure(indicator.rate_multiplier)}.")
    year = context.period.parent or context.period
    target = context.targets.get(breakdown.pk if breakdown else None)
    if target is None:
        words.append(f"No target is set for {year.label}.")
    else:
        words.append(f"Target for {year.label}: {target.text}.")
        comparable = context.comparable_target(breakdown)
        if comparable is not None and comparable != target.value:
            words.append(f"For this quarter: {format_figure(comparable, indicator.unit)}.")
    polarity = status.part_polarity(breakdown.polarity if breakdown else None, indicator.polarity)
    better = {
        status.Polarity.HIGHER_IS_BETTER: "Higher is better.",
        status.Polarity.LOWER_IS_BETTER: "Lower is better.",
        status.Polarity.CLOSER_IS_BETTER: "Closer to the target is better.",
    }
    if polarity in better:
        words.append(better[polarity])
    return " ".join(words)


class VersionField(forms.IntegerField):
    """The version of the item the person opened (a stale save is refused). Hidden: missing or mangled
    only when the page is out of date or was tampered with, so its messages say to reload."""

    def __init__(self, **kwargs) -> None:
        reload = "This page is out of date: reload it and try again"
        messages = {"required": reload, "invalid": reload, "min_value": reload}
        super().__init__(widget=forms.HiddenInput, min_value=0, error_messages=messages, **kwargs)


class ReturnForm(forms.Form):
    """The entry form of one indicator's return: one number (or numerator and denominator) per part."""

    commentary = TextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required when a figure is off target: what happened, and what is being done.",
    )
    remedial_action = TextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Remedial action",
        help_text="When a figure is off target: what is being done to bring it back on track, by whom and by when.",
    )
    data_source = TextField(required=False, max_length=500, help_text="Where the figure comes from.")
    evidence = TextField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Where the evidence is kept."
    )
    confidence = forms.ChoiceField(
        choices=[("", "Not stated"), *Confidence.choices],
        required=False,
        error_messages={"invalid_choice": "Select how confident you are in the figure from the list"},
    )
    change_confirmed = forms.BooleanField(required=False, label="I have checked these figures and they are right")
    version = VersionField()

    def __init__(self, *args, context: ReturnContext, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.context = context
        self.part_fields: list[tuple[str, str, list[str]]] = []
        indicator = context.indicator
        by_rate = indicator.rate_multiplier is not None
        for key, label, breakdown in context.part_keys():
            names = [f"{key}_numerator", f"{key}_denominator"] if by_rate else [key]
            part = f" for {breakdown.name}" if breakdown else ""
            hint = _figure_hint(context, breakdown)
            for name in names:
                if by_rate:
                    field_label = f"{name.rsplit('_', 1)[-1].capitalize()}{part}, {context.period.label}"
                else:
                    field_label = f"Figure{part} for {context.period.label}"
                unit = "" if by_rate else indicator.unit
                self.fields[name] = NumberField(label=field_label, help_text=hint, unit=unit)
            self.part_fields.append((key, label, names))
        existing = context.values_by_key()
        if not self.is_bound:
            submission = context.submission
            initial = {"version": submission.version if submission else 0}
            if submission is not None:
                initial.update(
                    commentary=submission.commentary,
                    remedial_action=submission.remedial_action,
                    data_source=submission.data_source,
                    evidence=submission.evidence,
                    confidence=submission.confidence,
                    change_confirmed=submission.change_confirmed,
                )
                for key, value in existing.items():
                    if by_rate:
                        initial[f"{key}_numerator"] = plain(value.numerator)
                        initial[f"{key}_denominator"] = plain(value.denominator)
                    else:
                        initial[key] = plain(value.value)
            self.initial.update(initial)

    def to_input(self) -> ReturnInput:
        data = self.cleaned_data
        numbers = {}
        for key, _label, names in self.part_fields:
            if len(names) == 2:
                numbers[key] = {"numerator": data.get(names[0]), "denominator": data.get(names[1])}
            else:
                numbers[key] = {"value": data.get(names[0])}
        return ReturnInput(
            numbers=numbers,
            commentary=data.get("commentary", ""),
            remedial_action=data.get("remedial_action", ""),
            data_source=data.get("data_source", ""),
            evidence=data.get("evidence", ""),
            confidence=data.get("confidence", ""),
            change_confirmed=bool(data.get("change_confirmed")),
        )

    def add_problems(self, problems) -> None:
        """Attach rule problems to the fields they name (a part's key maps to its input)."""
        for problem in problems:
            name = problem.field if problem.field in self.fields else None
            if name is None:
                name = next((names[0] for key, _l, names in self.part_fields if key == problem.field), None)
            self.add_error(name, problem.message)


class ActionUpdateForm(forms.Form):
    progress = forms.ChoiceField(
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        label="Progress",
        error_messages={
            "required": "Select the action's progress",
            "invalid_choice": "Select the action's progress from the list",
        },
    )
    percent_complete = forms.IntegerField(
        min_value=0,
        max_value=100,
        label="Percentage complete",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the percentage complete, from 0 to 100",
            "invalid": "Enter the percentage complete as a whole number, like 40",
            "min_value": "The percentage complete must be between 0 and 100",
            "max_value": "The percentage complete must be between 0 and 100",
        },
    )
    commentary = TextField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    revised_date = forms.DateField(
        required=False,
        label="Revised completion date",
        help_text="For example, 31/3/2011. Leave empty if it has not moved.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the revised completion date as a real date, like 31/3/2011"},
    )
    version = VersionField()

    def to_input(self) -> ActionUpdateInput:
        data = self.cleaned_data
        return ActionUpdateInput(
            progress=data["progress"],
            percent_complete=data["percent_complete"],
            commentary=data.get("commentary", ""),
            revised_date=data.get("revised_date"),
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve: publish these figures"), ("return", "Return to the officer")],
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={
            "required": "Select whether to approve it or return it to the officer",
            "invalid_choice": "Select whether to approve it or return it to the officer",
        },
    )
    reason = TextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reason for returning it",
        help_text="The officer sees this.",
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for returning it, so the officer can fix it")
        return data


class ReopenForm(forms.Form):
    reason = TextField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why reopen the round?",
        error_messages={"required": "Give the reason for reopening the round"},
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload your completed spreadsheet",
        help_text="The CSV or XLSX file you downloaded, filled in.",
        error_messages={
            "required": "Choose the completed spreadsheet to upload",
            "empty": "The file you chose is empty: choose the completed spreadsheet",
        },
    )
    then = forms.ChoiceField(
        choices=[
            ("draft", "Save them as drafts: I will check and submit each one from My returns"),
            ("submit", "Submit them all for sign-off now"),
        ],
        initial="draft",
        error_messages={"invalid_choice": "Select what should happen to the returns in your spreadsheet"},
        required=False,  # drafts, unless asked
        widget=forms.RadioSelect,
        label="What should happen to the returns in your spreadsheet?",
        help_text="Submitting checks each return as the entry form's Submit button does: every figure "
        "entered, and an explanation for any figure off target.",
    )
