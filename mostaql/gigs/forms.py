from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mostaql.accounts.forms import ImageChoiceField, NameField, SkillsField
from mostaql.catalog.models import Category
from mostaql.catalog.selectors import skill_choices
from mostaql.core.forms import MoneyField, WholeNumberField
from mostaql.core.money import format_money
from mostaql.core.uploads import MultipleImageField
from mostaql.gigs.services import UpgradeSpec


class ServiceForm(forms.Form):
    """A service and its upgrades in one form: up to SERVICE_MAX_UPGRADES rows of title, price and
    extra days; a row with no title is no upgrade. The rules themselves are the service's
    (gigs.services): the fields only bound what is typed."""

    title = NameField(label=_("Service title"), min_length=10, max_length=100)
    description = forms.CharField(
        label=_("Describe the service"),
        min_length=30,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("What the buyer gets, exactly, and what is not included."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    skills = SkillsField(label=_("Skills"), limit=settings.SERVICE_MAX_SKILLS)
    price = MoneyField(label=_("Price (USD)"))
    delivery_days = WholeNumberField(label=_("Delivery time (days)"), min_value=1, initial=2)
    max_quantity = WholeNumberField(
        label=_("Most copies in one order"),
        min_value=1,
        initial=1,
        help_text=_("A buyer may order the service several times at once, up to this number."),
    )
    instructions = forms.CharField(
        label=_("Instructions to the buyer"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("What you need from the buyer to start: they answer it right after ordering."),
    )
    images = MultipleImageField(label=_("Gallery images"), max_count=settings.SERVICE_MAX_IMAGES)

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["skills"].choices = skill_choices()
        self.fields["skills"].required = True
        self.fields["skills"].help_text = _("From 1 to %(count)s skills.") % {
            "count": settings.SERVICE_MAX_SKILLS
        }
        price = self.fields["price"]
        price.min_cents, price.max_cents = settings.SERVICE_MIN_PRICE_CENTS, settings.SERVICE_MAX_PRICE_CENTS
        price.help_text = _("From %(low)s to %(high)s, in steps of %(step)s.") % {
            "low": format_money(settings.SERVICE_MIN_PRICE_CENTS),
            "high": format_money(settings.SERVICE_MAX_PRICE_CENTS),
            "step": format_money(settings.SERVICE_PRICE_STEP_CENTS),
        }
        price.widget.attrs["data-net-source"] = "1"
        self.fields["delivery_days"].max_value = settings.SERVICE_MAX_DELIVERY_DAYS
        self.fields["delivery_days"].help_text = _("From 1 to %(count)s days.") % {
            "count": settings.SERVICE_MAX_DELIVERY_DAYS
        }
        self.fields["max_quantity"].max_value = settings.SERVICE_MAX_QUANTITY
        self.fields["images"].help_text = _(
            "From 1 to %(count)s pictures of your work (JPEG, PNG, WebP or GIF); the first is the cover."
        ) % {"count": settings.SERVICE_MAX_IMAGES}
        if service is not None and service.images.exists():
            self.fields["images"].required = False
            self.fields["remove_images"] = ImageChoiceField(
                label=_("Remove these images"),
                queryset=service.images.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for number in range(1, settings.SERVICE_MAX_UPGRADES + 1):
            self.fields[f"upgrade_{number}_title"] = NameField(
                label=_("Upgrade %(number)s: title") % {"number": number}, max_length=100, required=False
            )
            self.fields[f"upgrade_{number}_price"] = MoneyField(
                label=_("Upgrade %(number)s: price (USD)") % {"number": number},
                required=False,
                min_cents=settings.UPGRADE_MIN_PRICE_CENTS,
                max_cents=settings.UPGRADE_MAX_PRICE_CENTS,
            )
            self.fields[f"upgrade_{number}_days"] = WholeNumberField(
                label=_("Upgrade %(number)s: extra days") % {"number": number},
                required=False,
                min_value=0,
                max_value=30,
            )

    def upgrade_rows(self):
        """The upgrade fields grouped per row, for the template."""
        return [
            [self[f"upgrade_{number}_{part}"] for part in ("title", "price", "days")]
            for number in range(1, settings.SERVICE_MAX_UPGRADES + 1)
        ]

    def main_fields(self):
        return [field for field in self if not field.name.startswith("upgrade_")]

    def clean(self):
        data = super().clean()
        upgrades = []
        for number in range(1, settings.SERVICE_MAX_UPGRADES + 1):
            title = data.get(f"upgrade_{number}_title")
            price = data.get(f"upgrade_{number}_price")
            if not title and price is None:
                continue
            if not title:
                self.add_error(f"upgrade_{number}_title", _("Give the upgrade a title."))
                continue
            if price is None:
                self.add_error(f"upgrade_{number}_price", _("Give the upgrade a price."))
                continue
            upgrades.append(
                UpgradeSpec(
                    title=title, price_cents=price, extra_days=data.get(f"upgrade_{number}_days") or 0
                )
            )
        data["upgrades"] = upgrades
        return data


def initial_for(service) -> dict:
    initial = {
        "title": service.title,
        "description": service.description,
        "category": service.category_id,
        "skills": [skill.pk for skill in service.skills.all()],
        "price": service.price_cents / 100,
        "delivery_days": service.delivery_days,
        "max_quantity": service.max_quantity,
        "instructions": service.instructions,
    }
    for number, upgrade in enumerate(service.upgrades.all(), start=1):
        initial[f"upgrade_{number}_title"] = upgrade.title
        initial[f"upgrade_{number}_price"] = upgrade.price_cents / 100
        initial[f"upgrade_{number}_days"] = upgrade.extra_days
    return initial


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the seller"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
