from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator of a QuerySet that counts at most `limit` rows, and pages through those only.

    COUNT(*) reads every match, however many pages nobody opens; a count of `limit + 1` rows at
    most reads as much as the last page does, and says whether there are more (`is_capped`).
    """

    def __init__(self, object_list, per_page, *, limit: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def _counted(self) -> int:
        # Unordered: PostgreSQL may then count from the search or filter index instead of walking
        # the sort's index until `limit` rows have passed the filter.
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @property
    def is_capped(self) -> bool:
        return self._counted > self.limit
