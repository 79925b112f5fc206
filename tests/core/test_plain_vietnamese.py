"""Filters and labels in plain Vietnamese (issue 19 §2): "Tất cả" for the empty choice, yes/no filters that open on
"Tất cả", sort options in Vietnamese, the third-party models of the admin relabelled."""
import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

# Words seen in the Vietnamese pages before: none may be shown again.
ENGLISH_SEEN = ["---------", "(descending)", "Chưa xác định", "access attempt", "Access attempt", "TOTP device",
                "Axes", "Form Data", "Meta Data", "User Agent", "Attempt Time"]


def test_the_people_list_offers_tat_ca_sorts_in_vietnamese_and_opens_yes_no_on_tat_ca(client_for, police, khom):
    body = client_for(police).get(reverse("subjects:list")).content.decode()
    assert '<option value="" selected>Tất cả</option>' in body
    assert "Tên (giảm dần)" in body
    for word in ["---------", "(descending)", "Chưa xác định"]:
        assert word not in body, word


def test_a_yes_no_filter_still_filters_both_ways(client_for, police, khom):
    from apps.subjects.filtersets import PersonFilter
    from apps.subjects.models import Person

    for value, expected in [("false", False), ("true", True), ("", None)]:
        form = PersonFilter({"overdue": value}, queryset=Person.objects.all(), request=None).form
        assert form.is_valid() and form.cleaned_data["overdue"] is expected


@pytest.mark.parametrize("url", ["admin:index", "admin:axes_accessattempt_changelist", "admin:axes_accesslog_changelist",
                                 "admin:otp_totp_totpdevice_changelist", "admin:otp_totp_totpdevice_add"])
def test_the_admin_names_third_party_models_in_vietnamese(client_for, admin_user, url):
    response = client_for(admin_user).get(reverse(url))
    assert response.status_code == 200
    body = response.content.decode()
    for word in ENGLISH_SEEN:
        assert word not in body, (url, word)


def test_in_english_the_relabelled_models_are_english_again():
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with translation.override("en"):
        assert str(AccessAttempt._meta.verbose_name_plural) == "failed login attempt"
        assert str(TOTPDevice._meta.verbose_name) == "TOTP device"
    with translation.override("vi"):
        assert str(TOTPDevice._meta.verbose_name) == "thiết bị xác thực TOTP"


def test_episode_kinds_show_their_english_name_in_english_and_fall_back_to_vietnamese(client_for, police, khom):
    from apps.subjects.models import EpisodeKind
    from tests.factories.subjects import EpisodeFactory, PersonFactory

    addict = EpisodeKind.objects.get(code="addict")
    assert addict.name_en == "Drug addict not in rehabilitation"  # seeded by the migration
    custom = EpisodeKind.objects.create(code="custom", name="Loại tự đặt", priority=99)
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, kind=custom)
    EpisodeFactory(person=person, kind=addict)
    with translation.override("en"):
        assert str(addict) == "Drug addict not in rehabilitation"
        assert str(custom) == "Loại tự đặt"  # no English name: the Vietnamese one
    with translation.override("vi"):
        assert str(addict) == "Người nghiện ma túy chưa cai nghiện"
    client = client_for(police)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(person.get_absolute_url()).content.decode()
    assert "Drug addict not in rehabilitation" in body and "Loại tự đặt" in body


def test_an_empty_choice_of_a_form_says_chon_not_dashes(client_for, police, khom):
    body = client_for(police).get(reverse("subjects:create")).content.decode()
    assert '<option value="" selected>— Chọn —</option>' in body and "---------" not in body


def test_the_admin_says_chon_for_its_empty_choices_and_its_actions(client_for, admin_user):
    client = client_for(admin_user)
    for url in ("admin:subjects_person_changelist", "admin:accounts_user_changelist", "admin:accounts_user_add",
                "admin:subjects_person_add"):
        body = client.get(reverse(url)).content.decode()
        assert "---------" not in body, url
    assert "— Chọn thao tác —" in client.get(reverse("admin:accounts_user_changelist")).content.decode()


def test_the_admins_script_texts_are_completed_in_vietnamese(client_for, admin_user):
    script = client_for(admin_user).get(reverse("admin:jsi18n")).content.decode()
    assert "G\\u00f5 v\\u00e0o \\u00f4 n\\u00e0y" in script or "Gõ vào ô này" in script
    assert "Type into this box to filter down the list of selected" in script  # the key, translated
    assert "Ch\\u1ee7 nh\\u1eadt" in script or "Chủ nhật" in script
