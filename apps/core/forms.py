"""Form helpers shared by every app, and the base of every form whose data goes to a service."""
from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.models import ModelFormMetaclass, apply_limit_choices_to_to_formfield, model_to_dict
from django.utils.translation import gettext_lazy as _

from .mixins import limit_choices_to_scope


# What an empty choice of a form says, instead of Django's "---------" (issue 19 §2).
CHOOSE = _("— Chọn —")
_DASH = BLANK_CHOICE_DASH[0][1]


def vietnamese_blank_choice(field):
    """Give *field*'s empty choice Vietnamese words when it carries Django's dashes (a form's or the admin's)."""
    if getattr(field, "empty_label", None) == _DASH:
        field.empty_label = CHOOSE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(field.choices)
        if choices and choices[0] == ("", _DASH):
            field.choices = [("", CHOOSE), *choices[1:]]
    return field


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes, so templates can render fields plainly; empty choices in Vietnamese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            vietnamese_blank_choice(field)
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class BootstrapForm(BootstrapFormMixin, forms.Form):
    """A plain form with Bootstrap classes (used as FilterSet.Meta.form)."""


class ServiceForm(BootstrapFormMixin, forms.BaseForm, metaclass=ModelFormMetaclass):
    """A form whose fields are declared from a model, as a ModelForm's are, and whose cleaned data goes to a service.

    It checks the input and nothing else: it builds no instance and runs no model validation,
    because the service that writes is the one place that does (``full_clean()``, scope, locking),
    and the page kit (apps.core.views) puts the service's errors back on these fields.
    ``Meta`` takes what a ModelForm's does (model, fields, widgets, labels, help_texts…).
    *instance* is the record being edited (its values are the initial ones); *user* limits every
    model choice to what that user may see.
    """

    def __init__(self, data=None, files=None, *, instance=None, user=None, initial=None, **kwargs):
        opts = self._meta
        self.instance = opts.model() if instance is None else instance
        self.user = user
        values = {} if instance is None else model_to_dict(instance, opts.fields, opts.exclude)
        super().__init__(data, files, initial={**values, **(initial or {})}, **kwargs)
        for field in self.fields.values():
            apply_limit_choices_to_to_formfield(field)
        if user is not None:
            limit_choices_to_scope(self, user)

    def service_data(self) -> dict:
        """The cleaned values the service writes; the version travels separately, as ``expected_version``."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class VersionedServiceForm(ServiceForm):
    """A service form that carries the record's version, so that a concurrent edit is refused on save."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
