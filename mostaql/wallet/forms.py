from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mostaql.core.forms import MoneyField
from mostaql.core.money import format_money
from mostaql.core.uploads import MultipleAttachmentField, MultipleDeliverableField, MultipleFileInput
from mostaql.wallet.models import Withdrawal
from mostaql.wallet.services import MAX_DEPOSIT_CENTS, MIN_DEPOSIT_CENTS, withdrawal_problems


class DepositForm(forms.Form):
    amount = MoneyField(
        label=_("Amount to add (USD)"), min_cents=MIN_DEPOSIT_CENTS, max_cents=MAX_DEPOSIT_CENTS
    )


class SandboxCardForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "cc-number"}),
    )
    expiry = forms.CharField(
        label=_("Expiry (MM/YY)"),
        max_length=5,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "cc-exp"}),
    )
    cvc = forms.CharField(
        label=_("CVC"),
        max_length=4,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "cc-csc"}),
    )


class IdentityForm(forms.Form):
    document = MultipleAttachmentField(
        label=_("Identity document"),
        max_count=1,
        kinds={"image", "pdf"},
        required=True,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What clean_file accepts for {"image", "pdf"}, and its limits from settings.
        self.fields["document"].help_text = _(
            "A photo or scan of your passport or national ID card: a JPEG, PNG or WebP image up to "
            "%(image_mb)s MB, or a PDF up to %(file_mb)s MB. Only moderators see it."
        ) % {
            "image_mb": settings.UPLOAD_MAX_IMAGE_BYTES // (1024 * 1024),
            "file_mb": settings.UPLOAD_MAX_FILE_BYTES // (1024 * 1024),
        }


class WithdrawalForm(forms.Form):
    amount = MoneyField(label=_("Amount (USD)"), min_cents=settings.MIN_WITHDRAWAL_CENTS)
    method = forms.ChoiceField(
        label=_("Pay me by"),
        choices=Withdrawal.Method.choices,
        widget=forms.RadioSelect(attrs={"class": "method-choice"}),
        initial=Withdrawal.Method.PAYPAL,
    )
    paypal_email = forms.EmailField(label=_("PayPal e-mail address"), required=False)
    bank_holder = forms.CharField(label=_("Account holder"), max_length=100, required=False)
    bank_iban = forms.CharField(
        label=_("IBAN"), max_length=42, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)

    def __init__(self, *args, available_cents: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.available_cents = available_cents
        self.fields["amount"].min_cents = settings.MIN_WITHDRAWAL_CENTS  # the hint's figure, read now
        self.fields["amount"].help_text = _("At least %(minimum)s.") % {
            "minimum": format_money(settings.MIN_WITHDRAWAL_CENTS)
        }

    def clean(self):
        """Every problem at once: the amount, and the details of the chosen method only."""
        data = super().clean()
        amount = data.get("amount")
        problems = withdrawal_problems(
            amount_cents=None,  # the field checked the minimum already
            method=data.get("method", ""),
            paypal_email=data.get("paypal_email", ""),
            bank_holder=data.get("bank_holder", ""),
            bank_iban=data.get("bank_iban", ""),
            bank_name=data.get("bank_name", ""),
        )
        if "method" in self.errors:
            problems.pop("method", None)
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        if amount is not None and self.available_cents is not None and amount > self.available_cents:
            self.add_error(
                "amount",
                _("You have %(available)s available to withdraw.")
                % {"available": format_money(self.available_cents)},
            )
        return data


class PaymentReferenceForm(forms.Form):
    payment_reference = forms.CharField(
        label=_("Payment reference"),
        min_length=3,
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text=_("The bank's or PayPal's reference of the payment you sent."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"})
    )


class DeliveryForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the client"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    files = MultipleDeliverableField(label=_("Files"), max_count=settings.DELIVERY_MAX_ATTACHMENTS)


class RequirementsForm(forms.Form):
    """An order's answers to the seller's instructions (contracts.services.submit_requirements)."""

    text = forms.CharField(
        label=_("Your answers to the seller's instructions"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    files = MultipleDeliverableField(label=_("Files"), max_count=settings.DELIVERY_MAX_ATTACHMENTS)


class DisputeDecisionForm(forms.Form):
    freelancer_share = MoneyField(label=_("The freelancer's share (USD)"), min_cents=0)
    decision = forms.CharField(
        label=_("Decision and its reason"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
