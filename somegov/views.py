"""The site's own pages: home, accessibility statement, privacy notice."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def home(request):
    return render(request, "somegov/home.html")


@login_not_required
def accessibility(request):
    return render(request, "somegov/accessibility.html")


@login_not_required
def privacy(request):
    return render(request, "somegov/privacy.html")
