"""Pagination that need not count every matching row of a province."""
from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Across several wards a list counts at most this many matches (issue 9); a ward's list counts them all.
PROVINCE_COUNT_CAP = 2000


class CappedCountPaginator(Paginator):
    """A paginator that counts at most *cap* rows.

    An exact count of a province-wide search for a common name (“nguyen”: 16,660 of
    50,000 people) rechecks every match and cost more than the rest of the page's
    SQL together (issue 9). Counting stops after *cap* + 1 rows; past the cap,
    ``capped`` is true, ``count`` is the cap and the pages are those of the first
    *cap* rows. The export still has every row.
    """

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # Without ORDER BY: which rows fall under the LIMIT does not matter for counting.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
