"""The person picker: a select whose options come from /subjects/autocomplete/ as the user types.

The page renders only the chosen person (never every person in scope: a province has 50,000); the script
(Tom Select, vendored under static/vendor/tom-select) asks the scoped autocomplete for the rest. Without
JavaScript the select still submits the chosen person. The field's queryset, scoped to the user, is what
validates the choice: a person typed into the POST out of scope is refused as any unknown choice.
"""
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from apps.core.numbers import whole_number

NO_RESULTS = _("Không tìm thấy ai trong phạm vi bạn phụ trách.")
TYPE_MORE = _("Gõ ít nhất 2 chữ của họ tên, hoặc số CCCD.")


def person_label(full_name, file_number, date_of_birth, khom_name) -> str:
    """How a person is named in a picker: enough to tell two people of the same name apart."""
    parts = [f"số hồ sơ {file_number}" if file_number else "", f"{date_of_birth:%Y}" if date_of_birth else "",
             khom_name or ""]
    details = ", ".join(part for part in parts if part)
    return f"{full_name} ({details})" if details else full_name


def person_instance_label(person) -> str:
    return person_label(person.full_name, person.file_number, person.date_of_birth,
                        person.khom.name if person.khom_id else "")


class PersonAutocompleteWidget(forms.Select):
    """A select of the chosen person only, searched through the scoped autocomplete."""

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.bootstrap5.min.css"]}
        js = ["vendor/tom-select/tom-select.complete.min.js", "subjects/js/person_autocomplete.js"]

    def __init__(self, attrs=None):
        super().__init__({"class": "form-select js-person-autocomplete",
                          "data-autocomplete-url": reverse_lazy("subjects:autocomplete"),
                          "data-no-results": NO_RESULTS, "data-type-more": TYPE_MORE, **(attrs or {})})

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        options = [("", "")]
        queryset = getattr(self.choices, "queryset", None)
        wanted = [pk for pk in map(whole_number, chosen) if pk is not None]
        if queryset is not None and wanted:
            for person in queryset.filter(pk__in=wanted).select_related("khom"):
                options.append((person.pk, person_instance_label(person)))
        original = self.choices
        try:
            self.choices = options
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = original
