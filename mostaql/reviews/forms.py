from django import forms
from django.utils.translation import gettext_lazy as _

from mostaql.reviews.models import criteria_for
from mostaql.reviews.services import COMMENT_MAX_LENGTH, COMMENT_MIN_LENGTH, REPLY_MAX_LENGTH

MARKS = [(mark, str(mark)) for mark in range(1, 6)]


class MarkSelect(forms.RadioSelect):
    """1 to 5 in a row; the template lays the choices out as a scale."""

    template_name = "reviews/widgets/marks.html"


class ReviewForm(forms.Form):
    """The criteria of the author's direction (1–5 each) and a comment; the service checks the rules."""

    comment = forms.CharField(
        label=_("Your comment"),
        min_length=COMMENT_MIN_LENGTH,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("What went well, what could be better: it will be public, with your name."),
    )

    def __init__(self, *args, direction: str, is_order: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for criterion in criteria_for(direction, is_order=is_order):
            self.fields[criterion.field] = forms.TypedChoiceField(
                label=criterion.label,
                help_text=criterion.help_text,
                choices=MARKS,
                coerce=int,
                widget=MarkSelect,
                error_messages={"required": _("Choose a mark from 1 to 5.")},
            )
        self.fields["comment"] = comment

    @property
    def scores(self) -> dict[str, int]:
        return {name: value for name, value in self.cleaned_data.items() if name != "comment"}


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your answer"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Shown publicly under the review. You can answer only once."),
    )
