"""Cached lookups an import needs, loaded once per file instead of once per row."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.text import fold
from apps.khom.models import Khom

# The location columns every file kind shares (fixed Vietnamese headers, the same in every language).
KHOM_CODE_HEADER, KHOM_HEADER, WARD_HEADER = "Mã khóm", "Khóm", "Phường"

KHOM_MISSING = _("Chưa ghi mã khóm hoặc tên khóm.")
KHOM_NOT_FOUND = _("Không tìm thấy khóm “%(value)s”.")
KHOM_AMBIGUOUS = _("Có nhiều khóm “%(value)s” ở các phường khác nhau: hãy ghi thêm cột Phường.")
KHOM_OUT_OF_SCOPE = _("Khóm “%(value)s” nằm ngoài phạm vi bạn phụ trách.")


def _khom_key(name: str) -> str:
    """'Khóm Đông Thạnh', 'khom dong thanh' and 'Đông Thạnh' are the same khóm."""
    folded = fold(name)
    return folded[5:] if folded.startswith("khom ") else folded


class KhomIndex:
    """Every khóm by code and by folded name (all wards), with the ids the user may write to."""

    def __init__(self, user, codes=()):
        scoped = Khom.objects.for_user(user)
        self.in_scope = set(scoped.values_list("pk", flat=True))
        self.by_code, self.by_name = {}, {}
        # (code, name, ward) cells → answer: a file names the same few khóm on every row.
        self.resolved = {}
        # The user's khóm, plus khóm elsewhere named by code in the file (to say "outside your scope", not "unknown").
        wanted = Khom.objects.filter(Q(pk__in=scoped.values("pk")) | Q(code__in=[str(c).strip() for c in codes if c]))
        for khom in wanted.select_related("ward").order_by("pk"):
            self.by_code.setdefault(fold(khom.code), []).append(khom)
            self.by_name.setdefault(_khom_key(khom.name), []).append(khom)

    def resolve(self, code, name, ward_name=None):
        """(khom, None) or (None, message): by code first, otherwise by name, narrowed by ward name if given."""
        key = tuple((type(cell), cell) for cell in (code, name, ward_name))  # 1 and 1.0 are different cells
        if key not in self.resolved:
            self.resolved[key] = self._resolve(code, name, ward_name)
        return self.resolved[key]

    def _resolve(self, code, name, ward_name):
        code = str(code).strip() if code not in (None, "") else ""
        name = str(name).strip() if name not in (None, "") else ""
        if not code and not name:
            return None, KHOM_MISSING
        label = code or name
        candidates = self.by_code.get(fold(code), []) if code else self.by_name.get(_khom_key(name), [])
        if ward_name:
            narrowed = [k for k in candidates if fold(k.ward.name) == fold(str(ward_name))]
            candidates = narrowed or candidates
        if not candidates:
            return None, KHOM_NOT_FOUND % {"value": label}
        mine = [k for k in candidates if k.pk in self.in_scope]
        if len(mine) == 1:
            return mine[0], None
        if len(mine) > 1:
            return None, KHOM_AMBIGUOUS % {"value": label}
        return None, KHOM_OUT_OF_SCOPE % {"value": label}
