"""The admin: a new criteria-set version is added without code, and every change is audited."""
import datetime as dt

from django.urls import reverse

from apps.core.models import AuditEvent
from apps.criteria.choices import CriteriaScope
from apps.criteria.models import CriteriaSet


def _inline(prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_an_administrator_adds_a_new_version_of_the_khom_set_in_the_admin(client_for, admin_user):
    current = CriteriaSet.objects.current(CriteriaScope.KHOM, 2027)
    data = {"code": current.code, "version": "2", "name": "Tiêu chí khóm không ma túy (Luật 120/2025)",
            "scope": "khom", "legal_basis": "Luật Phòng, chống ma túy 120/2025/QH15", "valid_from": "2027-01-01"}
    data.update(_inline("criteria", [
        {"order": "10", "code": "1", "text": "Không có người sử dụng trái phép", "kind": "computed",
         "indicator": "users_addicts_not_in_treatment", "operator": "==", "threshold": "0"},
        {"order": "20", "code": "2", "text": "Có hương ước, quy ước", "kind": "manual"},
    ]))
    response = client_for(admin_user).post(reverse("admin:criteria_criteriaset_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    newer = CriteriaSet.objects.get(code=current.code, version=2)
    assert newer.criteria.count() == 2
    assert CriteriaSet.objects.current(CriteriaScope.KHOM, 2027) == newer
    assert CriteriaSet.objects.current(CriteriaScope.KHOM, 2026) == current
    assert AuditEvent.objects.filter(object_type="criteria.criteriaset", object_id=str(newer.pk),
                                     action="create").exists()
    assert AuditEvent.objects.filter(object_type="criteria.criterion", action="create").count() == 2


def test_the_admin_offers_registry_codes_and_refuses_an_unknown_indicator(client_for, admin_user):
    data = {"code": "thu", "version": "1", "name": "Thử", "scope": "khom", "valid_from": "2025-01-01"}
    data.update(_inline("criteria", [{"order": "1", "code": "1", "text": "x", "kind": "computed",
                                      "indicator": "no_such_indicator", "operator": "==", "threshold": "0"}]))
    response = client_for(admin_user).post(reverse("admin:criteria_criteriaset_add"), data)
    assert response.status_code == 200
    assert not CriteriaSet.objects.filter(code="thu").exists()


def test_ward_staff_do_not_reach_the_admin(client_for, leader):
    response = client_for(leader).get(reverse("admin:criteria_assessment_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_assessment_admin_lists_with_filters(client_for, admin_user, assessment):
    response = client_for(admin_user).get(reverse("admin:criteria_assessment_changelist"), {"year": 2025})
    assert response.status_code == 200
    assert assessment.khom.name in response.content.decode()
    detail = client_for(admin_user).get(reverse("admin:criteria_assessment_change", args=[assessment.pk]))
    assert detail.status_code == 200


def test_recognition_edited_in_the_admin_updates_the_khom_status(client_for, admin_user, khom):
    today = dt.date.today()
    response = client_for(admin_user).post(reverse("admin:criteria_recognition_add"), {
        "khom": khom.pk, "year": today.year, "decision_number": "7/QĐ-UBND", "decided_on": today.isoformat(),
        "valid_until": (today + dt.timedelta(days=200)).isoformat(), "revocation_reason": ""})
    assert response.status_code == 302
    khom.refresh_from_db()
    assert khom.status == "recognised"


def test_editing_a_criteria_set_in_the_admin_keeps_the_edition_typed(client_for, admin_user):
    """A criteria set's `version` is its published edition, not an optimistic-lock counter: a save must not bump it."""
    from apps.core.admin import LOCK_FIELD
    from tests.factories.criteria import CriteriaSetFactory
    from tests.security.test_admin_locking import change_form_data

    criteria_set = CriteriaSetFactory(code="bo-sua", version=3, name="Bộ tiêu chí cũ")
    client = client_for(admin_user)
    page = client.get(reverse("admin:criteria_criteriaset_change", args=[criteria_set.pk]))
    assert LOCK_FIELD not in page.context["adminform"].form.fields
    data = change_form_data(page)
    data["name"] = "Bộ tiêu chí đã sửa"
    response = client.post(reverse("admin:criteria_criteriaset_change", args=[criteria_set.pk]), data)
    assert response.status_code == 302
    criteria_set.refresh_from_db()
    assert (criteria_set.name, criteria_set.version) == ("Bộ tiêu chí đã sửa", 3)
