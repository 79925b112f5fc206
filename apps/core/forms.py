"""Form helpers shared by every app."""
from django import forms


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes, so templates can render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class BootstrapForm(BootstrapFormMixin, forms.Form):
    """A plain form with Bootstrap classes (used as FilterSet.Meta.form)."""


class VersionedModelForm(BootstrapFormMixin, forms.ModelForm):
    """A ModelForm that carries the record's version so a concurrent edit is detected on save."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
