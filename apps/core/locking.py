"""Optimistic locking: the second of two people editing one record is refused, not silently overwritten."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STALE_VERSION = _(
    "Hồ sơ này vừa được người khác sửa sau khi bạn mở nó. Thay đổi của bạn chưa được lưu: "
    "hãy mở lại hồ sơ để xem bản mới nhất rồi sửa lại."
)

# A save that lost a race the version does not cover: a unique value, or rows of a record without a version.
SAVE_CONFLICT = _(
    "Người khác vừa lưu cùng lúc một thay đổi trùng hoặc xung đột với thay đổi của bạn. Thay đổi của bạn "
    "chưa được lưu: hãy xem lại dữ liệu bên dưới rồi lưu lại."
)


class StaleVersionError(ValidationError):
    """Raised when the version a form was opened with is no longer the stored one."""

    def __init__(self):
        super().__init__(STALE_VERSION, code="stale_version")


def check_and_bump_version(instance, expected_version) -> None:
    """Lock the stored row, refuse a stale *expected_version*, and advance the version.

    Call inside ``transaction.atomic`` just before ``instance.save()``.
    """
    if instance.pk is None:
        return
    stored = type(instance)._base_manager.select_for_update().filter(pk=instance.pk).values_list("version", flat=True).first()
    if stored is None or expected_version is None or int(expected_version) != stored:
        raise StaleVersionError()
    instance.version = stored + 1
