"""Template helpers of the forms: the error summary at the top of a long form."""
from django import template

register = template.Library()

# A form with at least this many fields gets a summary of its errors at the top: the first error
# may be a screen away from the button that was pressed.
SUMMARY_MIN_FIELDS = 5


@register.simple_tag
def error_summary(*forms):
    """[(bound field, its first error)] over *forms* (None skipped) when they are long enough to need a summary."""
    forms = [form for form in forms if form is not None and hasattr(form, "visible_fields")]
    if sum(len(form.visible_fields()) for form in forms) < SUMMARY_MIN_FIELDS:
        return []
    return [(field, field.errors[0]) for form in forms for field in form.visible_fields() if field.errors]
