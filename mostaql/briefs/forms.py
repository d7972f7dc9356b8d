from django import forms
from django.utils.translation import gettext_lazy as _

from mostaql.accounts.forms import NameField
from mostaql.catalog.models import Category
from mostaql.core.forms import MoneyField, WholeNumberField
from mostaql.gigs.models import Service


class BriefForm(forms.Form):
    """What a buyer asks for. The rules (the budget's cap above all) are briefs.services'."""

    title = NameField(label=_("What do you need?"), min_length=10, max_length=100)
    description = forms.CharField(
        label=_("Describe it"),
        min_length=30,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("What you expect to receive, and anything the seller should know."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    budget = MoneyField(label=_("Budget (USD)"))
    delivery_days = WholeNumberField(label=_("Delivery time (days)"), min_value=1, initial=3)


class AnswerForm(forms.Form):
    """A seller's answer: one of their published services (the queryset is theirs) and a note."""

    service = forms.ModelChoiceField(label=_("Your service"), queryset=Service.objects.none())
    note = forms.CharField(
        label=_("A note to the buyer"),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services
