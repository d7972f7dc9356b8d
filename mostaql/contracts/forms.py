"""The contract page's forms for issue 13: a milestone change, more days, a bonus, a direct contract."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mostaql.core.forms import MilestoneRowsMixin, MoneyField, WholeNumberField
from mostaql.core.milestones import MAX_TITLE_LENGTH


class MilestoneChangeForm(forms.Form):
    milestone = forms.TypedChoiceField(label=_("Milestone"), coerce=int, empty_value=None, required=False)
    title = forms.CharField(
        label=_("Title"), max_length=MAX_TITLE_LENGTH, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    amount = MoneyField(label=_("Amount (USD)"))
    days = WholeNumberField(label=_("Days"), min_value=1, max_value=365)

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        pending = [m for m in contract.milestones_list if m.status == "pending"] if contract else []
        self.fields["milestone"].choices = [("", _("Add a new milestone"))] + [
            (m.pk, _("Change “%(title)s”") % {"title": m.title}) for m in pending
        ]


class ExtensionForm(forms.Form):
    days = WholeNumberField(label=_("More days"), min_value=1, max_value=90)
    reason = forms.CharField(
        label=_("Why?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class BonusForm(forms.Form):
    amount = MoneyField(label=_("Bonus (USD)"))
    note = forms.CharField(
        label=_("A word for the freelancer (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class RehireForm(MilestoneRowsMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"), min_length=5, max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    description = forms.CharField(
        label=_("What is the work?"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_milestone_rows()

    def clean(self):
        cleaned = super().clean()
        if not self.clean_milestone_rows(cleaned) and not self.errors:
            self.add_error(None, _("Give at least one milestone: a title, an amount and days."))
        return cleaned
