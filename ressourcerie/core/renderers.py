from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Forms render through our components: label, help, error next to the field."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
