from django import forms
from django.utils.translation import gettext_lazy as _

from mostaql.reports.services import REASON_MAX, REASON_MIN


class ReportForm(forms.Form):
    # The length is checked by file_report, after bidirectional controls are removed, with the words
    # the service uses everywhere; the browser is given the same bounds.
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        widget=forms.Textarea(
            attrs={"rows": 5, "dir": "auto", "minlength": REASON_MIN, "maxlength": REASON_MAX}
        ),
        help_text=_(
            "Say which rule it breaks: contact details, fraud, insults, stolen work, spam… "
            "Only the moderators read your report."
        ),
    )


class DecisionForm(forms.Form):
    ACTIONS = [
        ("dismiss", _("Dismiss: nothing breaks the rules")),
        ("hide", _("Hide the item")),
        ("warn", _("Warn the author")),
        ("suspend", _("Suspend the author's account")),
    ]

    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    hide = forms.BooleanField(label=_("Also hide the item (with a warning or a suspension)"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_(
            "For a warning, the text the author will read; for a suspension, its reason (at least 10 "
            "characters). Reporters are told only the outcome."
        ),
    )


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the suspension lifted?"),
        min_length=REASON_MIN,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
