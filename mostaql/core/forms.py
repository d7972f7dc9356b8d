from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mostaql.core.exceptions import DomainError
from mostaql.core.milestones import MAX_TITLE_LENGTH, MilestoneTerms, check_milestone_terms
from mostaql.core.money import format_money
from mostaql.core.numbers import (
    AMOUNT_PATTERN,
    WHOLE_NUMBER_PATTERN,
    parse_money_cents,
    parse_whole_number,
)


class FormRenderer(TemplatesSetting):
    """Forms render through our own field template (templates/forms/), so errors sit beside fields."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class MoneyField(forms.Field):
    """Dollars typed by a person, in Western or Arabic digits; cleaned to integer cents.

    A text input, not `type=number`: browsers empty a number input holding ٢٥٠, and the form would
    then save nothing without a word. The grammar is `core.numbers.parse_money_cents`.
    `min_cents`/`max_cents` bound the amount; `min_message` words the lower bound where the default
    ("at least $X") is not what the person needs to hear.
    """

    default_error_messages = {
        "invalid": _("Type an amount in dollars with digits only, such as 250 or 249.50."),
    }

    def __init__(self, *, min_cents: int = 1, max_cents: int | None = None, min_message=None, **kwargs):
        self.min_cents, self.max_cents, self.min_message = min_cents, max_cents, min_message
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "dir": "ltr",
                    "autocomplete": "off",
                    "pattern": AMOUNT_PATTERN,
                    "class": "number-input",
                }
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Initial values are dollars (a Decimal, a float or a number); what the person typed stays as typed.
        if (isinstance(value, (int, float)) and not isinstance(value, bool)) or hasattr(value, "quantize"):
            return f"{value:.2f}"
        return value

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_money_cents(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < self.min_cents:
            message = self.min_message or _("The amount must be at least %(minimum)s.")
            raise ValidationError(message % {"minimum": format_money(self.min_cents)}, code="min_value")
        if self.max_cents is not None and value > self.max_cents:
            raise ValidationError(
                _("The amount must be at most %(maximum)s.") % {"maximum": format_money(self.max_cents)},
                code="max_value",
            )


class WholeNumberField(forms.IntegerField):
    """A count (days, a quantity) in Western or Arabic digits; digits only, never "+5" or "1e1"."""

    default_error_messages = {"invalid": _("Type a whole number with digits only.")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "dir": "ltr",
                    "autocomplete": "off",
                    "pattern": WHOLE_NUMBER_PATTERN,
                    "class": "number-input",
                }
            ),
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # IntegerField adds min/max/step for a number input; a text input takes none of them.
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_whole_number(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def show_domain_error(form: BaseForm, error: DomainError, *, request: HttpRequest | None = None) -> bool:
    """Show a service's refusal on the form that asked for it; answer whether the form shows it.

    The message goes under the field the error names. A rule about no field of the form (the state of
    the object, not what was typed) is shown above the fields; or, when `request` is given, as a page
    message, and the answer is False: the form has nothing to correct, so the caller redirects.
    """
    if error.field in form.fields:
        form.add_error(error.field, error.message)
        return True
    if request is not None:
        messages.error(request, error.message)
        return False
    form.add_error(None, error.message)
    return True


class MilestoneRowsMixin:
    """Rows of milestones (title, amount, days) on a form, up to CONTRACT_MAX_MILESTONES, for the
    offer and the direct contract: plain fields, so the form works without JavaScript. Empty rows are
    ignored; `cleaned_data["milestones"]` is the list of MilestoneTerms (empty: one payment).
    The rows are drawn by templates/core/partials/milestone_rows.html (`form.milestone_rows`)."""

    milestone_total_field: str | None = None  # the form's amount the rows must add up to, if any

    def add_milestone_rows(self) -> None:
        for index in range(1, settings.CONTRACT_MAX_MILESTONES + 1):
            self.fields[f"m{index}_title"] = forms.CharField(
                label=_("Milestone %(number)s: title") % {"number": index},
                max_length=MAX_TITLE_LENGTH,
                required=False,
                widget=forms.TextInput(attrs={"dir": "auto"}),
            )
            self.fields[f"m{index}_amount"] = MoneyField(
                label=_("Milestone %(number)s: amount (USD)") % {"number": index}, required=False
            )
            self.fields[f"m{index}_days"] = WholeNumberField(
                label=_("Milestone %(number)s: days") % {"number": index},
                min_value=1,
                max_value=365,
                required=False,
            )

    def milestone_rows(self) -> list[tuple]:
        return [
            (self[f"m{i}_title"], self[f"m{i}_amount"], self[f"m{i}_days"])
            for i in range(1, settings.CONTRACT_MAX_MILESTONES + 1)
        ]

    def clean_milestone_rows(self, cleaned: dict) -> list[MilestoneTerms]:
        terms = []
        for index in range(1, settings.CONTRACT_MAX_MILESTONES + 1):
            names = (f"m{index}_title", f"m{index}_amount", f"m{index}_days")
            if any(name in self.errors for name in names):
                continue
            title, amount, days = (cleaned.get(name) for name in names)
            if not title and amount is None and days is None:
                continue
            if not title or amount is None or days is None:
                self.add_error(names[0], _("Give this milestone a title, an amount and days."))
                continue
            terms.append(MilestoneTerms(title.strip(), amount, days))
        total = cleaned.get(self.milestone_total_field) if self.milestone_total_field else None
        if terms and not self.errors:
            try:
                check_milestone_terms(terms, total_cents=total)
            except DomainError as error:
                self.add_error(None, error.message)
        cleaned["milestones"] = terms
        return terms
