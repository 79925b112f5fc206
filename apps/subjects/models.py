"""The register of people managed for drug reasons: people, episodes, tests, moves, support."""
import datetime as dt

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, VersionedModel
from apps.core.periods import add_months
from apps.core.scoping import ReferenceQuerySet
from apps.core.scoping import ScopedQuerySet as BaseScopedQuerySet
from apps.core.text import VIETNAMESE_COLLATION, fold
from apps.core.validators import (cccd_consistency_errors, validate_birth_date, validate_cccd_format,
                                  validate_event_date, validate_fact_date, FACT_DATE_FUTURE)

from .choices import (OPEN_TRANSFER_STATUSES, EducationLevel, EndReason, Ethnicity, Gender, MoveKind, SampleType,
                      StatusCategory, SupportKind, TestResult, TransferStatus)

# The one answer to a CCCD that cannot be registered, whoever holds it (issue 14). Naming the register,
# or answering differently in and out of scope, would let any officer test any citizen's number
# against the province's drug register; this neither names nor confirms a record anywhere.
CCCD_UNAVAILABLE = _("Không thể đăng ký số CCCD này tại đây. Nếu không tìm thấy người này trong danh sách "
                     "bạn phụ trách, có thể cần làm thủ tục chuyển hồ sơ.")
EPISODE_END_BEFORE_START = _("Ngày kết thúc không được trước ngày bắt đầu.")
EPISODE_PLANNED_END_BEFORE_START = _("Ngày dự kiến kết thúc không được trước ngày bắt đầu.")
EPISODE_OPEN_TWICE = _("Người này đang có một đợt quản lý cùng loại chưa kết thúc.")
EPISODE_CONFLICT = _("Không thể mở đợt “%(kind)s” khi người này đang có đợt “%(other)s” chưa kết thúc: hai loại "
                     "này không được mở cùng lúc. Hãy kết thúc đợt đang mở trước.")
EPISODE_END_REASON = _("Khi có ngày kết thúc thì phải chọn lý do kết thúc, và ngược lại.")
MOVE_WITHIN_NEEDS_KHOMS = _("Chuyển khóm trong phường phải có khóm đi và khóm đến.")
MOVE_NOTIFIED_BEFORE_MOVE = _("Ngày báo tin không được trước ngày chuyển.")


class ScopedQuerySet(BaseScopedQuerySet):
    """Rows that belong to a person: scoped through the person's current khóm (apps.core.scoping)."""

    ward_path = "person__khom__ward_id"
    khom_path = "person__khom_id"


class EpisodeKindQuerySet(ReferenceQuerySet):
    """Configuration, not personal data: every signed-in user may read it."""



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
    status_category = models.CharField(
        _("nhóm tình trạng (QĐ 13/2019)"), max_length=20, choices=StatusCategory.choices,
        default=StatusCategory.OUTSIDE_SOCIETY, db_default=StatusCategory.OUTSIDE_SOCIETY,
        help_text=_("Người có đợt quản lý loại này (khi là đợt ưu tiên cao nhất đang mở) được thống kê vào nhóm này: "
                    "ngoài xã hội, cai nghiện bắt buộc, trong cơ sở khác, bị tạm giữ/tạm giam."))
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    # Management rules as data (issue 18 §2), seeded from ND 105/2021 and ND 116/2021 by migration 0011.
    restarts_on_positive_test = models.BooleanField(
        _("dương tính trong thời hạn thì ra quyết định mới, thời hạn tính lại"), default=False,
        help_text=_("Người đang bị quản lý mà sử dụng trái phép chất ma túy lần nữa: ra quyết định quản lý mới và "
                    "thời hạn tính lại từ đầu (Nghị định 105/2021/NĐ-CP)."))
    continues_on_move = models.BooleanField(
        _("chuyển nơi cư trú thì tiếp tục thời hạn còn lại"), default=True,
        help_text=_("Bỏ chọn nếu đợt quản lý loại này kết thúc khi người đó chuyển đi khỏi phường."))
    residence_check_months = models.PositiveSmallIntegerField(
        _("kiểm tra nơi cư trú (tháng một lần)"), null=True, blank=True,
        help_text=_("Công an phường kiểm tra nơi cư trú ít nhất một lần trong số tháng này; để trống nếu không áp dụng."))
    followed_by = models.ForeignKey(
        "self", verbose_name=_("sau khi kết thúc thì quản lý theo loại"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
        help_text=_("Loại đợt quản lý sau cai nghiện mở tiếp sau loại này (Nghị định 116/2021/NĐ-CP)."))
    followed_by_months_adult = models.PositiveSmallIntegerField(
        _("thời hạn quản lý sau đó — người thành niên (tháng)"), null=True, blank=True)
    followed_by_months_minor = models.PositiveSmallIntegerField(
        _("thời hạn quản lý sau đó — người chưa thành niên (tháng)"), null=True, blank=True)
    excludes = models.ManyToManyField(
        "self", verbose_name=_("không được mở cùng lúc với"), blank=True, symmetrical=True,
        help_text=_("Người đang có một đợt quản lý thuộc các loại này thì không mở được đợt loại này (và ngược lại)."))

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


class ManagementRuleQuerySet(ReferenceQuerySet):
    """Published rules: every signed-in user reads them."""


class ManagementRule(TimeStampedModel):
    """The working-day figures of managing people, from a date on (issue 18 §2): the law changes them.

    Seeded from ND 105/2021/NĐ-CP (migration 0011); the decree implementing Law 120/2025/QH15 from 1/7/2026
    adds a row once its text is checked. ``RuleBook`` reads every row at once and answers for any day.
    """

    effective_from = models.DateField(_("áp dụng từ ngày"), unique=True, validators=[validate_event_date])
    decision_working_days = models.PositiveSmallIntegerField(
        _("hạn ra quyết định quản lý sau khi dương tính (ngày làm việc)"), default=3)
    transfer_working_days = models.PositiveSmallIntegerField(
        _("hạn gửi hồ sơ khi người đó chuyển đi (ngày làm việc)"), default=5)
    source = models.CharField(_("căn cứ"), max_length=255)
    needs_checking = models.BooleanField(
        _("cần kiểm tra lại"), default=False,
        help_text=_("Đánh dấu khi văn bản làm căn cứ chưa được đối chiếu."))

    objects = ManagementRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định quản lý")
        verbose_name_plural = _("quy định quản lý")
        ordering = ["-effective_from"]

    def __str__(self):
        return gettext("Quy định áp dụng từ %(day)s") % {"day": f"{self.effective_from:%d/%m/%Y}"}


class RuleBook:
    """Every ManagementRule, read with one query: ``on(day)`` is the rule in force that day."""

    def __init__(self, rules=None):
        self.rules = sorted(ManagementRule.objects.all() if rules is None else rules,
                            key=lambda rule: rule.effective_from, reverse=True)

    def on(self, day: dt.date) -> ManagementRule:
        for rule in self.rules:
            if rule.effective_from <= day:
                return rule
        # Before every row, or none at all: the model's defaults (ND 105/2021).
        return ManagementRule(effective_from=day, source="")


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


class PersonQuerySet(BaseScopedQuerySet):
    ward_path = "khom__ward_id"
    khom_path = "khom_id"

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
    # The QĐ 13/2019/QĐ-TTg breakdowns (issue 16 §5): all optional; blank or None is "not recorded".
    ethnicity = models.CharField(_("dân tộc"), max_length=20, choices=Ethnicity.choices, blank=True)
    education = models.CharField(_("trình độ học vấn"), max_length=20, choices=EducationLevel.choices, blank=True)
    stable_residence = models.BooleanField(_("có nơi cư trú ổn định"), null=True, blank=True)
    prior_criminal = models.BooleanField(_("có tiền án"), null=True, blank=True)
    prior_administrative = models.BooleanField(_("có tiền sự (đã bị xử lý vi phạm hành chính)"), null=True, blank=True)
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
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True, validators=[validate_fact_date])
    decision_signer = models.CharField(_("người ký"), max_length=100, blank=True)
    started_on = models.DateField(_("ngày bắt đầu"), validators=[validate_fact_date])
    planned_end = models.DateField(_("ngày dự kiến kết thúc"), null=True, blank=True,
                                   validators=[validate_event_date])
    actual_end = models.DateField(_("ngày kết thúc thực tế"), null=True, blank=True,
                                  validators=[validate_fact_date])
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

    def conflicting_open_episodes(self):
        """The person's open episodes whose kind may not be open together with this one's (issue 18 §5)."""
        if not (self.person_id and self.kind_id) or self.actual_end is not None:
            return Episode.objects.none()
        return (Episode._base_manager.filter(person_id=self.person_id, actual_end__isnull=True,
                                             kind__in=self.kind.excludes.all())
                .exclude(pk=self.pk).select_related("kind"))

    def clean(self):
        super().clean()
        conflicts = list(self.conflicting_open_episodes())
        if conflicts:
            raise ValidationError(
                EPISODE_CONFLICT, code="conflict",
                params={"kind": self.kind.display_name,
                        "other": ", ".join(f"{episode.kind.display_name} ({episode.started_on:%d/%m/%Y})"
                                           for episode in conflicts)})

    def save(self, *args, **kwargs):
        if self.planned_end is None and self.started_on and self.kind_id and self.kind.default_term_months:
            self.planned_end = add_months(self.started_on, self.kind.default_term_months)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.actual_end is None


class DrugTest(TimeStampedModel):
    """One drug test of a person: when, which sample, what result and substances, by whom."""

    person = models.ForeignKey(Person, verbose_name=_("đối tượng"), on_delete=models.CASCADE, related_name="tests")
    episode = models.ForeignKey(Episode, verbose_name=_("đợt quản lý"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="tests")
    tested_on = models.DateField(_("ngày xét nghiệm"), validators=[validate_fact_date])
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


class ResidenceMove(TimeStampedModel):
    """A change of residence: khóm to khóm, into or out of the ward, and when the police were told."""

    person = models.ForeignKey(Person, verbose_name=_("đối tượng"), on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(_("loại"), max_length=20, choices=MoveKind.choices)
    moved_on = models.DateField(_("ngày chuyển"), validators=[validate_fact_date])
    from_khom = models.ForeignKey("khom.Khom", verbose_name=_("từ khóm"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    to_khom = models.ForeignKey("khom.Khom", verbose_name=_("đến khóm"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    other_place = models.CharField(_("nơi đi/nơi đến ngoài phường"), max_length=255, blank=True)
    # Where the person lives after the move: written to the person's record by residence_move_create.
    new_address = models.CharField(_("địa chỉ mới"), max_length=255, blank=True)
    # The Drug Law 120/2025 wants the police told within 24 hours of a move.
    notified_on = models.DateField(_("ngày báo Công an"), null=True, blank=True, validators=[validate_fact_date])
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

    @property
    def notified_late(self) -> bool:
        """Told the police more than a day after the move, or not at all."""
        return self.notified_on is None or (self.notified_on - self.moved_on).days > 1


TRANSFER_SAME_WARD = _("Phường nhận hồ sơ phải khác phường đang giữ hồ sơ.")
TRANSFER_ALREADY_OPEN = _("Hồ sơ này đang có một thủ tục chuyển chưa xong.")
TRANSFER_MOVED_IN_FUTURE = FACT_DATE_FUTURE  # the one rule of facts' dates (apps.core.validators)


class RecordTransferQuerySet(BaseScopedQuerySet):
    """The one role rule (apps.core.scoping) on the sending ward: its police and leadership see the
    transfer; no khóm officer, no province role. And the receiving ward's police and leadership, once
    they asked for the record or were sent it.

    The row outlives the record's move: it is the sending ward's read-only trace that the person
    left, while the person itself is scoped by its khóm like every record of this app. A move the
    sending ward has recorded but not yet sent (or called off) is its own business.
    """

    ward_path = "from_ward_id"

    def for_user(self, user):
        rows = super().for_user(user)
        if user.is_authenticated and not user.is_administrator and (user.is_leadership or user.is_police):
            rows = rows | self.filter(Q(to_ward_id__in=user.scope_ward_ids)
                                      & (Q(requested_by_receiver=True) | Q(sent_at__isnull=False)))
        return rows

    def with_related(self):
        return self.select_related("person", "from_ward", "from_khom", "to_ward", "to_khom")


class RecordTransfer(TimeStampedModel):
    """A person's record sent from one ward of the installation to another (issue 18 §3).

    The holding ward's police send the record (on their own, after a move out, or when the new
    ward's police request it), the new ward's police accept it into one of their khóm: the person,
    and with it every episode, test, move and support record, then belongs to the new ward. The
    row stays as the old ward's trace of the departure (``person_name`` is a copy taken when the
    transfer was opened, so the trace never reads the record after it left).
    """

    person = models.ForeignKey(Person, verbose_name=_("đối tượng"), on_delete=models.CASCADE,
                               related_name="transfers")
    status = models.CharField(_("tình trạng"), max_length=20, choices=TransferStatus.choices)
    requested_by_receiver = models.BooleanField(
        _("do phường mới đề nghị"), default=False, editable=False,
        help_text=_("Công an phường nơi người này đến đề nghị chuyển hồ sơ (khi gặp số CCCD đã có nơi khác quản lý)."))
    from_ward = models.ForeignKey("khom.Ward", verbose_name=_("phường chuyển đi"), on_delete=models.PROTECT,
                                  related_name="+")
    from_khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm chuyển đi"), on_delete=models.PROTECT,
                                  related_name="+")
    to_ward = models.ForeignKey("khom.Ward", verbose_name=_("phường nhận"), on_delete=models.PROTECT,
                                related_name="+")
    to_khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm nhận"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    person_name = models.CharField(_("họ và tên"), max_length=150, editable=False)
    moved_on = models.DateField(_("ngày chuyển"), validators=[validate_fact_date])
    # The 5 working days count from here: the move when the holding ward records it, the request's day
    # when the new ward asks (the holding ward could not have sent before it knew).
    start_on = models.DateField(_("ngày bắt đầu tính hạn gửi"), editable=False)
    notes = models.TextField(_("ghi chú"), blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.SET_NULL,
                                null=True, blank=True, editable=False, related_name="+")
    decided_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"),
                                   on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+")
    refusal_reason = models.CharField(_("lý do không thực hiện"), max_length=255, blank=True)

    objects = RecordTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển hồ sơ giữa các phường")
        verbose_name_plural = _("chuyển hồ sơ giữa các phường")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status__in=OPEN_TRANSFER_STATUSES),
                                    name="subjects_transfer_one_open_per_person",
                                    violation_error_message=TRANSFER_ALREADY_OPEN),
            models.CheckConstraint(condition=~Q(from_ward=F("to_ward")), name="subjects_transfer_two_wards",
                                   violation_error_message=TRANSFER_SAME_WARD),
        ]
        indexes = [
            models.Index(fields=["from_ward", "status"], name="subjects_transfer_from_status"),
            models.Index(fields=["to_ward", "status"], name="subjects_transfer_to_status"),
        ]

    def __str__(self):
        # Neutral: the audit log of the receiving ward shows this before the record is sent to it.
        return gettext("Chuyển hồ sơ số %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("subjects:transfer_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRANSFER_STATUSES


class SupportRecord(TimeStampedModel):
    """Reintegration support given to a person: a job, vocational training, a loan, counselling."""

    person = models.ForeignKey(Person, verbose_name=_("đối tượng"), on_delete=models.CASCADE, related_name="supports")
    kind = models.CharField(_("hình thức hỗ trợ"), max_length=20, choices=SupportKind.choices)
    given_on = models.DateField(_("ngày hỗ trợ"), validators=[validate_fact_date])
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
