"""The admin's import/export buttons on people, drug tests and cases use the scoped resources."""
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook
from io import BytesIO

from apps.accounts.choices import Role
from apps.cases.models import Case
from apps.imports.admin import ScopedImportExportMixin
from apps.subjects.models import DrugTest, Person
from tests.factories.accounts import UserFactory
from tests.factories.subjects import PersonFactory


@pytest.mark.parametrize("model", [Person, DrugTest, Case])
def test_people_tests_and_cases_admins_carry_the_scoped_import_export_buttons(model):
    assert isinstance(admin.site.get_model_admin(model), ScopedImportExportMixin)


@pytest.mark.django_db
def test_admin_export_of_people_holds_only_the_staff_users_scope(client_for, ward, khom, other_khom):
    staff = UserFactory(username="t_staff_export", role=Role.POLICE, wards=[ward], is_staff=True)
    PersonFactory(khom=khom, full_name="Người Trong Phạm Vi")
    PersonFactory(khom=other_khom, full_name="Người Ngoài Phạm Vi")
    client = client_for(staff)
    response = client.post(reverse("admin:subjects_person_export"), {"format": "0", "resource": "0"})
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        form = response.context["form"]
        data = {"format": "0", "resource": "0"}
        data.update({name: "on" for name in form.fields if name.startswith(("personresource_", "resource_"))})
        response = client.post(reverse("admin:subjects_person_export"), data)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "Người Trong Phạm Vi" in text and "Người Ngoài Phạm Vi" not in text


@pytest.mark.django_db
def test_admin_import_needs_the_explicit_import_permission(client_for, ward):
    staff = UserFactory(username="t_staff_import", role=Role.KHOM_OFFICER, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_person", "change_person", "view_person"]))
    assert client_for(staff).get(reverse("admin:subjects_person_import")).status_code == 403
