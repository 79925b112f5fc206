"""The demo users of the contract (password DEMO_PASSWORD)."""
from django.conf import settings

from .choices import Role
from .models import User

DEMO_USERS = [
    ("admin", Role.ADMINISTRATOR, "Quản trị", "Hệ thống"),
    ("lanhdao", Role.LEADERSHIP, "Chủ tịch", "Nguyễn Thành Đạt"),
    ("congan", Role.POLICE, "Thiếu tá", "Lê Hoàng Phúc"),
    ("khom01", Role.KHOM_OFFICER, "Trưởng khóm", "Nguyễn Văn Đức"),
    ("tinh", Role.PROVINCE, "PC04", "Công an tỉnh"),
    # The province roles reach every ward through their role: no ward is attached to them.
    ("pc04", Role.PROVINCE_OFFICER, "Đại úy", "Trần Minh Khoa"),
    ("ubndtinh", Role.PROVINCE_LEADERSHIP, "Phó Chủ tịch", "Võ Thanh Tùng"),
]


def seed(context):
    # Runs after apps.khom? No: accounts precedes khom in INSTALLED_APPS, so the
    # ward is created here if needed by importing the khóm demo first.
    from apps.khom import demo as khom_demo
    from apps.khom.models import Khom

    if "ward" not in context:
        khom_demo.seed(context)
    ward = context["ward"]
    first_khom = Khom.objects.filter(ward=ward).order_by("code").first()
    users = {}
    for username, role, first_name, last_name in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.first_name, user.last_name = first_name, last_name
        user.is_superuser = role == Role.ADMINISTRATOR
        user.is_active = True
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        if role in (Role.LEADERSHIP, Role.POLICE):
            user.wards.set([ward])
        if role == Role.KHOM_OFFICER:
            user.khoms.set([first_khom])
        users[username] = user
    Khom.objects.filter(ward=ward, police_officer__isnull=True).update(police_officer=users["congan"])
    context["users"] = users
    context["stdout"].write(f"Demo users: {', '.join(users)}.")
