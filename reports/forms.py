"""The form that issues a pack to a meeting."""

from django import forms

from core.forms import TextField


class IssueForm(forms.Form):
    meeting = TextField(
        max_length=200,
        label="Meeting",
        help_text="For example, Executive, or Overview and Scrutiny Board.",
        error_messages={
            "required": "Enter the meeting the pack is issued to",
            "max_length": "The meeting's name must be 200 characters or fewer",
        },
    )
    meeting_date = forms.DateField(
        label="Date of the meeting",
        help_text="For example, 15/11/2010.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date of the meeting as a real date, like 15/11/2010",
        },
    )
