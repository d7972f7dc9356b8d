from django import forms
from django.utils.translation import gettext_lazy as _

from mostaql.saved.models import SavedSearch


class SearchSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    frequency = forms.ChoiceField(label=_("Alerts"), choices=SavedSearch.Frequency.choices)
