from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    PROPAGANDA = "propaganda", _("Tuyên truyền")
    EDUCATION = "education", _("Giáo dục pháp luật")
    TALK = "talk", _("Nói chuyện chuyên đề")
    CONTEST = "contest", _("Hội thi, sân khấu hóa")
    OTHER = "other", _("Hoạt động khác")


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("Nhân dân")
    YOUTH = "youth", _("Thanh thiếu niên")
    STUDENTS = "students", _("Học sinh, sinh viên")
    FAMILIES = "families", _("Gia đình người sử dụng, người nghiện")
    OFFICIALS = "officials", _("Cán bộ, đảng viên, hội viên")
    WORKERS = "workers", _("Công nhân, người lao động")
    OTHER = "other", _("Đối tượng khác")
