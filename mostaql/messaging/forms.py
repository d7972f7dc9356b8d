from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mostaql.core.uploads import MultipleDeliverableField


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "placeholder": _("Write your message…")}),
    )
    files = MultipleDeliverableField(label=_("Files"), max_count=settings.MESSAGE_MAX_ATTACHMENTS)
