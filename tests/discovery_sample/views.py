"""Views for the source scan's own test (tests/test_bad_input_discovery.py); no URL uses them."""

from tests.discovery_sample.forms import SampleForm


def sample_view(request):
    form = SampleForm(request.POST)
    name = request.POST.get("name", "")
    if "submit" in request.POST and form.is_valid():
        return request.POST[f"answer-{name}"]
    return _helper(request)


def _helper(request):
    return request.FILES["file"]


def unrelated(request):
    return request.GET.get("q")
