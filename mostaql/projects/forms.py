from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mostaql.accounts.forms import NameField, SkillsField
from mostaql.catalog.models import Category
from mostaql.catalog.selectors import skill_choices
from mostaql.core.forms import MoneyField, WholeNumberField
from mostaql.core.money import format_money
from mostaql.core.uploads import MultipleAttachmentField
from mostaql.projects.models import Budget

ATTACHMENT_KINDS = {"image", "pdf", "office", "zip"}


class RemovableAttachmentsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.original_name


class ProjectForm(forms.Form):
    title = NameField(label=_("Project title"), min_length=10, max_length=120)
    description = forms.CharField(
        label=_("Describe the project"),
        min_length=50,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_("What you need, what you will provide, and how you will judge the result."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    skills = SkillsField(label=_("Required skills"), limit=settings.PROJECT_MAX_SKILLS)
    budget = forms.ChoiceField(label=_("Budget"), choices=[("", "—"), *Budget.choices])
    duration_days = WholeNumberField(
        label=_("Expected duration (days)"),
        min_value=1,
        max_value=365,
        initial=7,
        help_text=_("From 1 to 365 days."),
    )
    attachments = MultipleAttachmentField(
        label=_("Attachments"), max_count=settings.PROJECT_MAX_ATTACHMENTS, kinds=ATTACHMENT_KINDS
    )
    is_private = forms.BooleanField(
        label=_("Private project"),
        required=False,
        help_text=_(
            "Not listed, searched or shown on your profile: only the freelancers you invite see it and "
            "can send offers."
        ),
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = skill_choices()
        self.fields["skills"].required = True
        self.fields["skills"].help_text = _("From 1 to %(count)s skills.") % {
            "count": settings.PROJECT_MAX_SKILLS
        }
        self.fields["attachments"].help_text = _(
            "Up to %(count)s files: images, PDF, office documents or zip archives."
        ) % {"count": settings.PROJECT_MAX_ATTACHMENTS}
        if project is not None:
            del self.fields["is_private"]  # chosen once, when the project is posted
        if project is not None and project.attachments.exists():
            self.fields["remove_attachments"] = RemovableAttachmentsField(
                label=_("Remove these attachments"), queryset=project.attachments.all(), required=False
            )


class InviteForm(forms.Form):
    """From a profile or the directory: which of the client's open projects to invite the person to."""

    project = forms.TypedChoiceField(label=_("Project"), coerce=int)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(project.pk, project.title) for project in projects]


class OfferForm(forms.Form):
    amount = MoneyField(
        label=_("Your price (USD)"),
        min_cents=settings.MIN_OFFER_CENTS,
        max_cents=1_000_000_00,
    )
    duration_days = WholeNumberField(label=_("Delivery time (days)"), min_value=1, max_value=365)
    text = forms.CharField(
        label=_("Your offer"),
        min_length=30,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("How you will do the work, and what you have done like it."),
    )
    attachments = MultipleAttachmentField(
        label=_("Attachments"), max_count=settings.OFFER_MAX_ATTACHMENTS, kinds=ATTACHMENT_KINDS
    )

    def __init__(self, *args, offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The hints state the limits the fields enforce, both read from settings now.
        self.fields["amount"].min_cents = settings.MIN_OFFER_CENTS
        self.fields["amount"].help_text = _("At least %(minimum)s.") % {
            "minimum": format_money(settings.MIN_OFFER_CENTS)
        }
        self.fields["duration_days"].help_text = _("From 1 to 365 days.")
        if offer is not None and offer.attachments.exists():
            self.fields["remove_attachments"] = RemovableAttachmentsField(
                label=_("Remove these attachments"), queryset=offer.attachments.all(), required=False
            )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the owner"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
