"""One kind of date input everywhere: a dd/mm/yyyy text field, never the browser's native picker."""
import datetime as dt
from pathlib import Path

from django.conf import settings

from apps.criteria.forms import RecognitionForm, RevokeForm


def test_the_recognition_and_revocation_forms_type_dates_as_dd_mm_yyyy():
    html = RecognitionForm().as_p() + RevokeForm().as_p()
    assert 'type="date"' not in html and html.count('placeholder="dd/mm/yyyy"') == 3
    form = RecognitionForm({"decision_number": "7/QĐ-UBND", "decided_on": "15/01/2026", "valid_until": "31/12/2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["decided_on"] == dt.date(2026, 1, 15)
    bound = RecognitionForm(initial={"decided_on": dt.date(2026, 1, 15)}).as_p()
    assert 'value="15/01/2026"' in bound


def test_no_form_or_template_asks_for_a_native_date_picker():
    base = Path(settings.BASE_DIR)
    offenders = [str(path.relative_to(base)) for folder in ("apps", "templates") for path in (base / folder).rglob("*")
                 if path.suffix in (".py", ".html") and "migrations" not in path.parts
                 and ('input_type = "date"' in path.read_text(encoding="utf-8")
                      or 'type="date"' in path.read_text(encoding="utf-8"))]
    assert offenders == []
