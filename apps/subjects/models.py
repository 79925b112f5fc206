"""The register of people managed for drug reasons: people, episodes, tests, moves, support."""
import datetime as dt

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, VersionedModel
from apps.core.periods import add_months
from apps.core.text import VIETNAMESE_COLLATION, fold
from apps.core.validators import (cccd_consistency_errors, validate_birth_date, validate_cccd_format,
                                  validate_event_date)

from .choices import EndReason, Gender, MoveKind, SampleType, SupportKind, TestResult

# The one answer to a CCCD that cannot be registered, whoever holds it (issue 14). Naming the register,
# or answering differently in and out of scope, would let any officer test any citizen's number
# against the province's drug register; this neither names nor confirms a record anywhere.
CCCD_UNAVAILABLE = _("Không thể đăng ký số CCCD này tại đây. Nếu không tìm thấy người này trong danh sách "
                     "bạn phụ trách, có thể cần làm thủ tục chuyển hồ sơ.")
EPISODE_END_BEFORE_START = _("Ngày kết thúc không được trước ngày bắt đầu.")
EPISODE_PLANNED_END_BEFORE_START = _("Ngày dự kiến kết thúc không được trước ngày bắt đầu.")
EPISODE_OPEN_TWICE = _("Người này đang có một đợt quản lý cùng loại chưa kết thúc.")
EPISODE_END_REASON = _("Khi có ngày kết thúc thì phải chọn lý do kết thúc, và ngược lại.")
MOVE_WITHIN_NEEDS_KHOMS = _("Chuyển khóm trong phường phải có khóm đi và khóm đến.")
MOVE_NOTIFIED_BEFORE_MOVE = _("Ngày báo tin không được trước ngày chuyển.")


def scope_filter(user, prefix: str = ""):
    """The Q that limits rows reached through ``<prefix>khom`` to *user*'s scope, or None for nothing.

    Every model of this app scopes through the person's current khóm, so the
    rule lives here once and each queryset only says how to reach the khóm.
    """
    if not user.is_authenticated:
        return None
    if user.is_administrator:
        return Q()
    if user.is_province:
        return None
    if user.is_khom_officer:
        return Q(**{f"{prefix}khom_id__in": user.scope_khom_ids})
    if user.is_leadership or user.is_police:
        return Q(**{f"{prefix}khom__ward_id__in": user.scope_ward_ids})
    return None


class ScopedQuerySet(models.QuerySet):
    """QuerySet whose rows belong to a person; ``scope_prefix`` says how to reach the person's khóm."""

    scope_prefix = "person__"

    def for_user(self, user):
        condition = scope_filter(user, self.scope_prefix)
        return self.none() if condition is None else self.filter(condition)


class EpisodeKindQuerySet(models.QuerySet):
    def for_user(self, user):
        """Configuration, not personal data: every signed-in user may read it."""
        return self if user.is_authenticated else self.none()



class EpisodeKind(TimeStampedModel):
    """A kind of management episode (illegal user, addict, rehab, post-rehab, …) with its legal terms.

    A table, not choices: the Drug Law 120/2025/QH15 and its decrees change
    terms and test intervals, and an administrator must be able to follow them.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(
        _("tên tiếng Anh"), max_length=200, blank=True,
        help_text=_("Hiển thị khi giao diện bằng tiếng Anh; để trống thì dùng tên tiếng Việt."))
    default_term_months = models.PositiveSmallIntegerField(
        _("thời hạn mặc định (tháng)"), null=True, blank=True,
        help_text=_("Để trống nếu không có thời hạn cố định."))
    test_interval_days = models.PositiveSmallIntegerField(
        _("chu kỳ xét nghiệm (ngày)"), null=True, blank=True,
        help_text=_("Khoảng cách tối đa giữa hai lần xét nghiệm; để trống nếu không bắt buộc."))
    counts_as_user_addict = models.BooleanField(
        _("tính là người sử dụng/nghiện có hồ sơ quản lý"), default=False,
        help_text=_("Dùng cho tiêu chí địa bàn trọng điểm và địa bàn không ma túy."))
    in_treatment = models.BooleanField(
        _("đang cai nghiện/điều trị"), default=False,
        help_text=_("Người đang cai nghiện hoặc điều trị thay thế không làm khóm mất tiêu chí không ma túy."))
    window_after_end_months = models.PositiveSmallIntegerField(
        _("thời gian theo dõi sau khi kết thúc (tháng)"), default=0,
        help_text=_("Điều 256a Bộ luật Hình sự: sử dụng ma túy trong thời gian này là tội phạm."))
    priority = models.PositiveSmallIntegerField(
        _("mức độ ưu tiên"), default=0,
        help_text=_("Loại có số lớn hơn được hiển thị làm tình trạng hiện tại khi có nhiều đợt đang mở."))
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    objects = EpisodeKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("loại đợt quản lý")
        verbose_name_plural = _("loại đợt quản lý")
        ordering = ["-priority", "name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the interface's language: the English name in English when there is one."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


def _name_part(part: str):
    """The database expression of one part of ``full_name``: "given" (tên, the last word), "middle" or "family"."""
    name = Func(F("full_name"), function="btrim")
    if part == "given":
        return Func(name, Value(r"^.*\s"), Value(""), function="regexp_replace")
    rest = Func(name, Value(r"\s*\S+$"), Value(""), function="regexp_replace")  # all but the last word
    if part == "family":
        return Func(rest, Value(r"\s.*$"), Value(""), function="regexp_replace")
    return Func(rest, Value(r"^\S+\s*"), Value(""), function="regexp_replace")


def _name_key(part: str, label):
    # Derived by the database, so every way a row is written (forms, imports, bulk seeding) keeps it right.
    return models.GeneratedField(
        expression=_name_part(part), db_persist=True,
        output_field=models.CharField(label, max_length=150, db_collation=VIETNAMESE_COLLATION))


class FileNumberField(models.PositiveIntegerField):
    """The per-ward file number, handed out by the database (trigger of migration 0006) and read back on insert.

    A trigger, not Python: every way a person is written (forms, imports' bulk_create, bench seeding)
    gets its number, and concurrent registrations in one ward are serialised on the ward's row.
    """

    db_returning = True


class FileWardField(models.ForeignKey):
    """The ward whose number the file carries, set by the same trigger and read back on insert."""

    db_returning = True


# A register's order: by given name (tên), then middle name, then family name, in the Vietnamese alphabet.
PERSON_ORDER = ("given_name", "middle_name", "family_name", "id")


class PersonQuerySet(ScopedQuerySet):
    scope_prefix = ""

    def with_related(self):
        """The joins every list, export and detail of people needs."""
        return self.select_related("khom", "khom__ward", "status")


class Person(TimeStampedModel, VersionedModel):
    """A person managed for drug reasons, with the current status derived from open episodes.

    ``status`` and ``next_test_due`` are denormalised by
    ``services.person_sync_status`` so lists filter and sort on indexed
    columns instead of recomputing per row; ``search_text`` holds the folded
    name and CCCD for the trigram index.
    """

    full_name = models.CharField(_("họ và tên"), max_length=150)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices)
    date_of_birth = models.DateField(_("ngày sinh"), validators=[validate_birth_date])
    cccd = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, validators=[validate_cccd_format])
    khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm"), on_delete=models.PROTECT, related_name="persons")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=100, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    status = models.ForeignKey(
        EpisodeKind, verbose_name=_("tình trạng hiện tại"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+")
    next_test_due = models.DateField(_("hạn xét nghiệm tiếp theo"), null=True, blank=True, editable=False, db_index=True)
    search_text = models.CharField(max_length=300, blank=True, editable=False)
    # Số hồ sơ: 1, 2, 3… per ward in order of registration, the number the office files the record under.
    file_number = FileNumberField(_("số hồ sơ"), null=True, blank=True, editable=False)
    file_ward = FileWardField("khom.Ward", verbose_name=_("phường lập hồ sơ"), on_delete=models.PROTECT,
                                  null=True, blank=True, editable=False, related_name="+")
    given_name = _name_key("given", _("tên"))
    middle_name = _name_key("middle", _("tên đệm"))
    family_name = _name_key("family", _("họ"))

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("đối tượng")
        verbose_name_plural = _("đối tượng")
        ordering = list(PERSON_ORDER)
        constraints = [
            # Optional but unique when present: NULL never collides, blanks are stored as NULL.
            models.UniqueConstraint(fields=["cccd"], condition=Q(cccd__isnull=False), name="subjects_person_unique_cccd",
                                    violation_error_code="unique", violation_error_message=CCCD_UNAVAILABLE),
            models.UniqueConstraint(fields=["file_ward", "file_number"], name="subjects_person_unique_file_number",
                                    violation_error_message=_("Số hồ sơ này đã có trong phường.")),
        ]
        indexes = [
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="subjects_person_search_trgm"),
            models.Index(fields=["khom", "full_name"], name="subjects_person_khom_name"),
            models.Index(fields=list(PERSON_ORDER), name="subjects_person_order"),
        ]

    def __str__(self):
        return self.full_name

    def prepare_write(self):
        """What every write of a person does to its own columns, one by one (save) or in bulk (the import)."""
        self.cccd = self.cccd or None
        self.search_text = self.build_search_text()

    def save(self, *args, **kwargs):
        self.prepare_write()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ("full_name" in update_fields or "cccd" in update_fields):
            kwargs["update_fields"] = set(update_fields) | {"search_text"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.cccd and self.gender:
            errors.update(cccd_consistency_errors(self.cccd, self.date_of_birth, self.is_female))
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("subjects:detail", args=[self.pk])

    def build_search_text(self) -> str:
        return f"{fold(self.full_name)} {self.cccd or ''}".strip()

    def audit_ward_id(self):
        return self.khom.ward_id if self.khom_id else None

    @property
    def is_female(self) -> bool:
        return self.gender == Gender.FEMALE

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class EpisodeQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(actual_end__isnull=True)


class Episode(TimeStampedModel):
    """One period of management of a person under one decision (đợt quản lý)."""

    person = models.ForeignKey(Person, verbose_name=_("đối tượng"), on_delete=models.CASCADE, related_name="episodes")
    kind = models.ForeignKey(EpisodeKind, verbose_name=_("loại"), on_delete=models.PROTECT, related_name="episodes")
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True, validators=[validate_event_date])
    decision_signer = models.CharField(_("người ký"), max_length=100, blank=True)
    started_on = models.DateField(_("ngày bắt đầu"), validators=[validate_event_date])
    planned_end = models.DateField(_("ngày dự kiến kết thúc"), null=True, blank=True,
                                   validators=[validate_event_date])
    actual_end = models.DateField(_("ngày kết thúc thực tế"), null=True, blank=True,
                                  validators=[validate_event_date])
    end_reason = models.CharField(_("lý do kết thúc"), max_length=20, choices=EndReason.choices, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt quản lý")
        verbose_name_plural = _("đợt quản lý")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(actual_end__isnull=True) | Q(actual_end__gte=F("started_on")),
                                   name="subjects_episode_end_after_start",
                                   violation_error_message=EPISODE_END_BEFORE_START),
            models.CheckConstraint(condition=Q(planned_end__isnull=True) | Q(planned_end__gte=F("started_on")),
                                   name="subjects_episode_planned_end_after_start",
                                   violation_error_message=EPISODE_PLANNED_END_BEFORE_START),
            models.CheckConstraint(condition=(Q(actual_end__isnull=True) & Q(end_reason=""))
                                   | (Q(actual_end__isnull=False) & ~Q(end_reason="")),
                                   name="subjects_episode_end_has_reason",
                                   violation_error_message=EPISODE_END_REASON),
            models.UniqueConstraint(fields=["person", "kind"], condition=Q(actual_end__isnull=True),
                                    name="subjects_episode_one_open_per_kind",
                                    violation_error_message=EPISODE_OPEN_TWICE),
        ]
        indexes = [models.Index(fields=["planned_end"], name="subjects_episode_planned_end",
                                condition=Q(actual_end__isnull=True))]

    def __str__(self):
        return f"{self.kind} — {self.started_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.planned_end is None and self.started_on and self.kind_id and self.kind.default_term_months:
            self.planned_end = add_months(self.started_on, self.kind.default_term_months)
        super().save(*args, **kwargs)

    def audit_ward_id(self):
        return self.person.audit_ward_id()

    @property
    def is_open(self) -> bool:
        return self.actual_end is None


class DrugTest(TimeStampedModel):
    """One drug test of a person: when, which sample, what result and substances, by whom."""

    person = models.ForeignKey(Person, verbose_name=_("đối tượng"), on_delete=models.CASCADE, related_name="tests")
    episode = models.ForeignKey(Episode, verbose_name=_("đợt quản lý"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="tests")
    tested_on = models.DateField(_("ngày xét nghiệm"), validators=[validate_event_date])
    sample_type = models.CharField(_("mẫu xét nghiệm"), max_length=10, choices=SampleType.choices,
                                   default=SampleType.URINE)
    result = models.CharField(_("kết quả"), max_length=10, choices=TestResult.choices)
    substances = models.CharField(_("chất phát hiện"), max_length=200, blank=True)
    tested_by = models.CharField(_("người/đơn vị xét nghiệm"), max_length=150, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("xét nghiệm ma túy")
        verbose_name_plural = _("xét nghiệm ma túy")
        ordering = ["-tested_on", "-id"]
        indexes = [models.Index(fields=["person", "-tested_on"], name="subjects_test_person_date")]

    def __str__(self):
        return f"{self.tested_on:%d/%m/%Y} — {self.get_result_display()}"

    def audit_ward_id(self):
        return self.person.audit_ward_id()


class ResidenceMove(TimeStampedModel):
    """A change of residence: khóm to khóm, into or out of the ward, and when the police were told."""

    person = models.ForeignKey(Person, verbose_name=_("đối tượng"), on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(_("loại"), max_length=20, choices=MoveKind.choices)
    moved_on = models.DateField(_("ngày chuyển"), validators=[validate_event_date])
    from_khom = models.ForeignKey("khom.Khom", verbose_name=_("từ khóm"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    to_khom = models.ForeignKey("khom.Khom", verbose_name=_("đến khóm"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    other_place = models.CharField(_("nơi đi/nơi đến ngoài phường"), max_length=255, blank=True)
    # The Drug Law 120/2025 wants the police told within 24 hours of a move.
    notified_on = models.DateField(_("ngày báo Công an"), null=True, blank=True, validators=[validate_event_date])
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("thay đổi nơi cư trú")
        verbose_name_plural = _("thay đổi nơi cư trú")
        ordering = ["-moved_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind=MoveKind.WITHIN_WARD)
                                   | (Q(from_khom__isnull=False) & Q(to_khom__isnull=False)),
                                   name="subjects_move_within_has_khoms",
                                   violation_error_message=MOVE_WITHIN_NEEDS_KHOMS),
            models.CheckConstraint(condition=Q(notified_on__isnull=True) | Q(notified_on__gte=F("moved_on")),
                                   name="subjects_move_notified_after_move",
                                   violation_error_message=MOVE_NOTIFIED_BEFORE_MOVE),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.moved_on:%d/%m/%Y}"

    def audit_ward_id(self):
        return self.person.audit_ward_id()

    @property
    def notified_late(self) -> bool:
        """Told the police more than a day after the move, or not at all."""
        return self.notified_on is None or (self.notified_on - self.moved_on).days > 1


class SupportRecord(TimeStampedModel):
    """Reintegration support given to a person: a job, vocational training, a loan, counselling."""

    person = models.ForeignKey(Person, verbose_name=_("đối tượng"), on_delete=models.CASCADE, related_name="supports")
    kind = models.CharField(_("hình thức hỗ trợ"), max_length=20, choices=SupportKind.choices)
    given_on = models.DateField(_("ngày hỗ trợ"), validators=[validate_event_date])
    provider = models.CharField(_("đơn vị hỗ trợ"), max_length=200, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=255, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hỗ trợ tái hòa nhập")
        verbose_name_plural = _("hỗ trợ tái hòa nhập")
        ordering = ["-given_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.given_on:%d/%m/%Y}"

    def audit_ward_id(self):
        return self.person.audit_ward_id()
