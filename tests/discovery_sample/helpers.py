from django import forms


class NotDiscoveredForm(forms.Form):
    """In a module that is not a forms module: not part of the campaign."""
