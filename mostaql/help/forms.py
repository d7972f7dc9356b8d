from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mostaql.core.uploads import clean_file
from mostaql.help.models import Topic

ATTACHMENT_KINDS = {"image", "pdf"}


class HelpSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the help centre"), required=False, max_length=200)
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *Topic.choices]
    )


class ContactForm(forms.Form):
    """Lengths are checked by file_ticket, with the messages it uses everywhere."""

    name = forms.CharField(label=_("Your name"), max_length=80, widget=forms.TextInput(attrs={"dir": "auto"}))
    email = forms.EmailField(label=_("Your e-mail address"), help_text=_("We will send our answer here."))
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "—"), *Topic.choices])
    subject = forms.CharField(
        label=_("Subject"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(
            attrs={"rows": 8, "dir": "auto", "maxlength": settings.SUPPORT_TICKET_MAX_CHARS}
        ),
        help_text=_("Say what happened, and give the address of the page or the number of the contract."),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,application/pdf"}
        ),
        help_text=_("A screenshot or a PDF document."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            # A signed-in person's ticket carries their account's name and address.
            del self.fields["name"]
            del self.fields["email"]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        return clean_file(upload, kinds=ATTACHMENT_KINDS)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("Sent by e-mail to the person who wrote, in the language they wrote in."),
    )
