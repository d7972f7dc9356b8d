from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Forms render through our own field template (templates/forms/), so errors sit beside fields."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
