from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from mostaql.accounts.models import PortfolioItem, User
from mostaql.catalog.models import Skill
from mostaql.catalog.selectors import skill_choices
from mostaql.core.forms import MoneyField
from mostaql.core.money import format_money
from mostaql.core.text import clean_line, normalize_arabic
from mostaql.core.uploads import ImageField, MultipleImageField


class NameField(forms.CharField):
    """A person's name or a title: bidirectional controls stripped before any other check."""

    def to_python(self, value):
        return clean_line(super().to_python(value))


class SkillsField(forms.ModelMultipleChoiceField):
    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "skill-picker"}))
        super().__init__(queryset=Skill.objects.all(), required=False, **kwargs)

    def clean(self, value):
        skills = super().clean(value)
        if len(skills) > self.limit:
            raise ValidationError(
                _("Choose at most %(count)s skills.") % {"count": self.limit}, code="too_many"
            )
        return skills


class ImageChoiceField(forms.ModelMultipleChoiceField):
    """Existing images shown as thumbnails to tick for removal."""

    def label_from_instance(self, obj):
        return format_html('<img class="thumb" src="{}" alt="">', obj.thumbnail.url)


# The members of the Arab League: listed first, where most of the site's people find their own.
ARAB_COUNTRIES = frozenset(
    {"DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR"}
    | {"MA", "OM", "PS", "QA", "SA", "SO", "SD", "SY", "TN", "AE", "YE"}
)


def country_choices() -> list:
    """Countries in the page's language, sorted by their names in it (django-countries sorts by the
    English name whatever the language): the Arab countries first, then all the others."""

    def by_name(choice):
        return normalize_arabic(str(choice[1]))

    everyone = sorted(((code, str(name)) for code, name in countries), key=by_name)
    return [
        ("", "—"),
        (_("Arab countries"), [choice for choice in everyone if choice[0] in ARAB_COUNTRIES]),
        (_("Other countries"), [choice for choice in everyone if choice[0] not in ARAB_COUNTRIES]),
    ]


class SignupForm(AllauthSignupForm):
    name = NameField(label=_("Full name"), max_length=80, min_length=2)
    primary_role = forms.ChoiceField(
        label=_("What brings you to Mostaql?"),
        choices=User.Role.choices,
        widget=forms.RadioSelect,
        # No choice made for the person: they say whether they came to hire or to work.
        error_messages={"required": _("Choose whether you want to hire or to work.")},
    )
    field_order = ["name", "email", "password1", "primary_role"]


class ProfileForm(forms.Form):
    name = NameField(label=_("Full name"), max_length=80, min_length=2)
    primary_role = forms.ChoiceField(
        label=_("Primary role"),
        choices=User.Role.choices,
        widget=forms.RadioSelect,
        help_text=_("Decides which dashboard you see first; you can always both hire and work."),
    )
    title = NameField(
        label=_("Professional title"),
        max_length=100,
        required=False,
        help_text=_("For example: Django developer, logo designer, English–Arabic translator."),
    )
    bio = forms.CharField(label=_("About me"), max_length=5000, required=False, widget=forms.Textarea)
    country = forms.ChoiceField(label=_("Country"), required=False)
    skills = SkillsField(label=_("Skills"), limit=settings.PROFILE_MAX_SKILLS)
    hourly_rate = MoneyField(
        label=_("Hourly rate (USD)"),
        required=False,
        min_cents=1_00,
        max_cents=1000_00,
    )
    avatar = ImageField(label=_("Profile picture"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, so country names come in the language of the page.
        self.fields["country"].choices = country_choices()
        rate = self.fields["hourly_rate"]
        rate.help_text = _("Optional, from %(low)s to %(high)s.") % {
            "low": format_money(rate.min_cents),
            "high": format_money(rate.max_cents),
        }
        self.fields["skills"].choices = skill_choices()
        self.fields["skills"].help_text = _("Up to %(count)s skills.") % {
            "count": settings.PROFILE_MAX_SKILLS
        }


class PortfolioItemForm(forms.Form):
    title = NameField(label=_("Title"), max_length=120, min_length=3)
    description = forms.CharField(
        label=_("Description"), max_length=5000, min_length=10, widget=forms.Textarea
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    skills = SkillsField(label=_("Skills"), limit=settings.PROFILE_MAX_SKILLS)
    completed_on = forms.DateField(
        label=_("Completion date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    images = MultipleImageField(label=_("Images"), required=False, max_count=settings.PORTFOLIO_MAX_IMAGES)

    def __init__(self, *args, item: PortfolioItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["skills"].choices = skill_choices()
        self.fields["images"].help_text = _("Up to %(count)s images in all: JPEG, PNG, WebP or GIF.") % {
            "count": settings.PORTFOLIO_MAX_IMAGES
        }
        if item is not None:
            self.fields["remove_images"] = ImageChoiceField(
                label=_("Remove these images"),
                queryset=item.images.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )


class AccessTokenForm(forms.Form):
    """A new personal access token for the JSON API: a name, and when it stops working."""

    EXPIRY_CHOICES = [
        ("30", _("In 30 days")),
        ("90", _("In 90 days")),
        ("365", _("In a year")),
        ("", _("Never")),
    ]

    name = NameField(
        label=_("Name"), max_length=60, help_text=_("What the token is for, e.g. “my phone app”.")
    )
    expires_in_days = forms.ChoiceField(
        label=_("Expires"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )
