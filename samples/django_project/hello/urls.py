from django.urls import path

from . import views

app_name = 'hello'

urlpatterns = [
    path('', views.index, name='index'),
    path('json', views.json_hello, name='json'),
    path('form', views.hello_form, name='form'),
    path('upload', views.upload, name='upload'),
    path('stream', views.stream, name='stream'),
    path('download/<str:name>', views.download, name='download'),
    path('pid', views.pid, name='pid'),
    path('echo', views.echo, name='echo'),
]
