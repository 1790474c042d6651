"""Forms of the returns cycle. Field validation only: the rules for a figure live in returns/rules.py."""

from django import forms

from core.forms import TextField
from core.numbers import parse_number, plain
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
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"})

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        try:
            return parse_number(text, unit=self.unit)
        except ValueError as error:
            raise forms.ValidationError(f"{NUMBER_ERROR}: {error}") from None


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
    confidence = forms.ChoiceField(choices=[("", "Not stated"), *Confidence.choices], required=False)
    change_confirmed = forms.BooleanField(required=False, label="I have checked these figures and they are right")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, context: ReturnContext, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.context = context
        self.part_fields: list[tuple[str, str, list[str]]] = []
        by_rate = context.indicator.rate_multiplier is not None
        for key, label, _breakdown in context.part_keys():
            names = [f"{key}_numerator", f"{key}_denominator"] if by_rate else [key]
            for name in names:
                suffix = name.rsplit("_", 1)[-1] if by_rate else ""
                field_label = label[0].upper() + label[1:] if not by_rate else f"{suffix.capitalize()} for {label[4:]}"
                self.fields[name] = NumberField(label=field_label, unit="" if by_rate else context.indicator.unit)
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
    progress = forms.ChoiceField(choices=ActionStatus.choices, widget=forms.RadioSelect, label="Progress")
    percent_complete = forms.IntegerField(
        min_value=0,
        max_value=100,
        label="Percentage complete",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    commentary = TextField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    revised_date = forms.DateField(
        required=False,
        label="Revised completion date",
        help_text="For example, 31/3/2011. Leave empty if it has not moved.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

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
        error_messages={"required": "Select whether to approve it or return it to the officer"},
    )
    reason = TextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reason for returning it",
        help_text="The officer sees this.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for returning it, so the officer can fix it")
        return data


class ReopenForm(forms.Form):
    reason = TextField(widget=forms.Textarea(attrs={"rows": 3}), label="Why reopen the round?")


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload your completed spreadsheet", help_text="The CSV or XLSX file you downloaded, filled in."
    )
    then = forms.ChoiceField(
        choices=[
            ("draft", "Save them as drafts: I will check and submit each one from My returns"),
            ("submit", "Submit them all for sign-off now"),
        ],
        initial="draft",
        required=False,  # drafts, unless asked
        widget=forms.RadioSelect,
        label="What should happen to the returns in your spreadsheet?",
        help_text="Submitting checks each return as the entry form's Submit button does: every figure "
        "entered, and an explanation for any figure off target.",
    )
