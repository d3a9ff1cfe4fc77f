"""Pages for residents, no login: the directory of official channels, the account check, the API's documentation.

They work without JavaScript (plain GET forms). The data comes from the cached public snapshot
(``channels.public``); the pages themselves are rendered per request, so no one gets another's CSRF token.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from channels import public
from channels.addresses import HANDLE_PLATFORMS, MAX_ADDRESS_LENGTH, PLATFORM_NAMES, InvalidAddress
from channels.api import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from channels.forms import LongSelect
from channels.public_http import public_page, rate_limited_message, take_request_slot
from core import organisation

DIRECTORY_PAGE_SIZE = 25


class DirectoryFilterForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), required=False, widget=LongSelect)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None, widget=LongSelect)

    def __init__(self, *args, data_snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [("", _("All platforms")), *data_snapshot.platform_choices()]
        self.fields["unit"].choices = [("", _("All units")), *data_snapshot.unit_choices()]
        self.fields["unit"].help_text = _("A unit's channels include those of the units under it.")


class VerifyForm(forms.Form):
    address = forms.CharField(
        label=_("Address or username of the account"),
        max_length=public.MAX_INPUT_LENGTH,
        strip=False,  # public.verify() trims it, after checking the length as given
        help_text=_(
            "Paste the address from the browser, for example https://www.facebook.com/esimerkkila, "
            "or type the username, for example @esimerkkila."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.result = None

    def clean_address(self):
        try:
            self.result = public.verify(self.cleaned_data["address"], self.request)
        except InvalidAddress as exc:
            raise ValidationError(exc.message, code=exc.code) from None
        return self.cleaned_data["address"]


@login_not_required
@require_safe
@public_page
def directory(request):
    data = public.snapshot(request)
    form = DirectoryFilterForm(request.GET or None, data_snapshot=data)
    platform = unit = None
    if form.is_bound and form.is_valid():
        platform, unit = form.cleaned_data["platform"] or None, form.cleaned_data["unit"]
    entries = public.filter_active(data, platform=platform, unit=unit)
    paginator = Paginator(entries, DIRECTORY_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    filters = {key: value for key, value in (("platform", platform), ("unit", unit)) if value}
    return render(
        request,
        "channels/public/directory.html",
        {
            "form": form,
            "page_obj": page_obj,
            "page_elided_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
            "csv_url": reverse("public:api_channels_csv") + (f"?{urlencode(filters)}" if filters else ""),
            "filtered": bool(platform or unit),
            "platform_name": data.platforms.get(platform) if platform else None,
            "unit_name": data.units.get(unit) if unit else None,
        },
    )


@login_not_required
@require_safe
def verify(request):
    # Only a check counts against the limit; the empty form is just a page.
    if "address" in request.GET:
        retry_after = take_request_slot(request)
        if retry_after is not None:
            response = render(
                request,
                "channels/public/rate_limited.html",
                {"message": rate_limited_message(retry_after)},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            patch_cache_control(response, no_store=True)
            return response
    return _verify_page(request)


@public_page
def _verify_page(request):
    form = VerifyForm(request.GET if "address" in request.GET else None, request=request)
    result = form.result if form.is_bound and form.is_valid() else None
    contact = organisation.current().registry_office_email
    return render(
        request,
        "channels/public/verify.html",
        {
            "form": form,
            "result": result,
            "contact_email": contact,
            "contact_is_demo": contact.endswith(".invalid"),
            "handle_platform_names": [PLATFORM_NAMES[slug] for slug in HANDLE_PLATFORMS],
        },
    )


@login_not_required
@require_safe
def api_docs(request):
    return render(
        request,
        "channels/public/api_docs.html",
        {
            "rate_limit": settings.PUBLIC_RATE_LIMIT,
            "rate_window": settings.PUBLIC_RATE_LIMIT_WINDOW,
            "max_page_size": MAX_PAGE_SIZE,
            "default_page_size": DEFAULT_PAGE_SIZE,
            "max_address_length": MAX_ADDRESS_LENGTH,
            "schema_url": reverse("public:api_schema"),
        },
    )
