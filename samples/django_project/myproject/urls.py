"""myproject URL Configuration

The `urlpatterns` list routes URLs to views. For more information please see:
    https://docs.djangoproject.com/en/3.2/topics/http/urls/
"""
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import include, path

urlpatterns = [
    path('admin/', admin.site.urls),
    # The app serves its own static files (the admin's CSS and JS), even with DEBUG off: there is
    # no whitenoise here, and the finders-based view reads them straight from each app's static/
    # folder, so no collectstatic step is needed. insecure=True is what allows it with DEBUG off;
    # behind a real deployment, let the front-end proxy serve STATIC_ROOT instead.
    path(f'{settings.STATIC_URL.lstrip("/")}<path:path>', serve_static, {'insecure': True}),
    path('', include('hello.urls')),
]
