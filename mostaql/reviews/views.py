from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error
from mostaql.reviews import selectors, services
from mostaql.reviews.forms import ReplyForm, ReviewForm
from mostaql.reviews.models import Review


def _contract_or_404(request, pk: int) -> Contract:
    try:
        return selectors.contract_for_review(user=request.user, pk=pk)
    except Contract.DoesNotExist:
        raise Http404 from None


@login_required
def write_review(request, pk: int):
    """The contract's review page: the form while the author may write, then both reviews as each
    side may see them. Anyone who is not a side gets a 404, whatever the id."""
    contract = _contract_or_404(request, pk)
    state = selectors.review_state(contract=contract, user=request.user)
    form = ReviewForm(request.POST or None, direction=state.direction, is_order=contract.is_order)
    if request.method == "POST":
        try:
            services.check_can_review(author=request.user, contract=contract)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("reviews:write", pk=contract.pk)
        if form.is_valid():
            try:
                review = services.write_review(
                    author=request.user,
                    contract=contract,
                    scores=form.scores,
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as error:
                if not show_domain_error(form, error, request=request):  # about the contract, not the form
                    return redirect("reviews:write", pk=contract.pk)
            else:
                if review.published_at:
                    messages.success(request, _("Thank you. Both reviews are now public."))
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you. Your review stays hidden until the other side writes theirs "
                            "or the review period ends."
                        ),
                    )
                return redirect("reviews:write", pk=contract.pk)
    other_side = contract.freelancer if request.user.pk == contract.client_id else contract.client
    return render(
        request,
        "reviews/write.html",
        {
            "contract": contract,
            "state": state,
            "form": form,
            "other_side": other_side,
            "reply_form": ReplyForm(),
        },
    )


@login_required
@require_POST
def reply(request, pk: int):
    """The person reviewed answers a public review once; anyone outside the contract gets a 404."""
    try:
        review = selectors.review_for_side(user=request.user, pk=pk)
    except Review.DoesNotExist:
        raise Http404 from None
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reply"][0])
    else:
        try:
            services.reply_to_review(user=request.user, review=review, text=form.cleaned_data["reply"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your answer is published under the review."))
    return redirect(reverse("reviews:write", kwargs={"pk": review.contract_id}) + f"#review-{review.pk}")
