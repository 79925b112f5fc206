"""The admin side: the batch log is scoped and read-only; the import/export mixin needs the import permission."""
import pytest
from django.contrib import admin
from django.test import RequestFactory

from apps.core.admin import ScopedAdmin
from apps.imports.admin import ImportBatchAdmin, ScopedImportExportMixin
from apps.imports.models import ImportBatch
from apps.subjects.resources import PersonResource
from apps.imports.services import import_batch_upload
from apps.subjects.models import Person
from tests.factories.imports import person_row, persons_xlsx


class PersonImportAdmin(ScopedImportExportMixin, ScopedAdmin):
    resource_classes = [PersonResource]


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_admin_import_button_needs_the_explicit_import_permission(khom_officer, admin_user):
    from django.contrib.auth.models import Permission

    model_admin = PersonImportAdmin(Person, admin.site)
    assert model_admin.has_import_permission(_request(admin_user))
    assert not model_admin.has_import_permission(_request(khom_officer))
    khom_officer.user_permissions.add(Permission.objects.get(codename="add_importbatch"))
    refreshed = type(khom_officer).objects.get(pk=khom_officer.pk)  # fresh permission cache
    assert model_admin.has_import_permission(_request(refreshed))


@pytest.mark.parametrize("role,allowed", [("police", True), ("leader", True), ("khom_officer", False),
                                          ("province", False)])
def test_the_import_permission_is_granted_to_police_and_leadership_only(request, role, allowed):
    from apps.imports.apps import ImportsConfig

    granted = {str(r) for r, perms in ImportsConfig.role_permissions.items() if "imports.add_importbatch" in perms}
    assert (request.getfixturevalue(role).role in granted) is allowed


def test_the_admin_resources_are_built_for_the_requesting_user(police):
    model_admin = PersonImportAdmin(Person, admin.site)
    kwargs = model_admin.get_import_resource_kwargs(_request(police))
    assert kwargs["user"] == police


def test_the_batch_log_in_the_admin_is_scoped_and_read_only(police, other_police, khom):
    data = persons_xlsx([person_row()])
    mine = import_batch_upload(user=police, kind="persons", file_name="a.xlsx", data=data)
    import_batch_upload(user=other_police, kind="persons", file_name="b.xlsx", data=data)
    model_admin = ImportBatchAdmin(ImportBatch, admin.site)
    assert list(model_admin.get_queryset(_request(police))) == [mine]
    assert not model_admin.has_add_permission(_request(police))
    assert not model_admin.has_change_permission(_request(police), mine)
