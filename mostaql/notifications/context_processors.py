from django.utils.functional import SimpleLazyObject

from mostaql.notifications.selectors import unread_count


def unread_notifications(request):
    """The bell's count, for the header of every page; counted only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
