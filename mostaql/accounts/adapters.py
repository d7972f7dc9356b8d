from allauth.account.adapter import DefaultAccountAdapter

from mostaql.accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """allauth creates the user; the name, role and profile are ours to set, in one step."""
        user = super().save_user(request, user, form, commit=True)
        services.register_user(
            user=user,
            name=form.cleaned_data["name"],
            primary_role=form.cleaned_data["primary_role"],
        )
        return user
