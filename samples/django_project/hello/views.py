"""Views covering what a WSGI server has to get right.

None of them touch the database, so they work without running migrations.
"""
import hashlib
import os

from django.conf import settings
from django.http import (
    FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .forms import NameForm

# Big enough to keep the number of reads low, small enough that memory stays flat for any body size.
CHUNK_SIZE = 64 * 1024

TEXT = 'text/plain; charset=utf-8'


def text(body, status=200):
    return HttpResponse(body, status=status, content_type=TEXT)


@require_safe
def index(request):
    return text('Hello, World!')


@require_safe
def json_hello(request):
    return JsonResponse({'message': 'Hello, World!', 'pid': os.getpid()})


# CsrfViewMiddleware answers 403 to a POST without a valid token before this view runs;
# {% csrf_token %} in the template sets the csrftoken cookie the token is checked against.
@require_http_methods(['GET', 'POST'])
def hello_form(request):
    if request.method == 'POST':
        form = NameForm(request.POST)
        if form.is_valid():
            return text(f"Hello, {form.cleaned_data['name']}!")
        return render(request, 'hello/form.html', {'form': form}, status=400)
    return render(request, 'hello/form.html', {'form': NameForm()})


# An API endpoint for non-browser clients, which have no CSRF cookie to send.
@csrf_exempt
@require_POST
def upload(request):
    # request.read() rather than request.body: the body is hashed as it arrives instead of being
    # held in memory, so a 100 MB upload costs 64 KiB (request.body would also stop at
    # DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default). Django reads exactly CONTENT_LENGTH bytes,
    # so a chunked request body (no Content-Length) reads as empty here.
    digest = hashlib.sha256()
    size = 0
    while chunk := request.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return JsonResponse({'bytes': size, 'sha256': digest.hexdigest()})


@require_safe
def stream(request):
    try:
        chunks = int(request.GET.get('chunks', 5))
    except ValueError:
        return HttpResponseBadRequest('chunks must be an integer', content_type=TEXT)
    # No Content-Length: the server sends the lines chunked, each as soon as it is produced.
    return StreamingHttpResponse((f'chunk {i}\n' for i in range(chunks)), content_type=TEXT)


@require_safe
def download(request, name):
    # <str:name> already keeps "/" out; checking it here too keeps the view safe if the URL pattern
    # changes. A backslash or ".." must not reach the filesystem either.
    if name in {'.', '..'} or '/' in name or '\\' in name:
        raise Http404('No such file')
    try:
        # FileResponse closes the file when the response is done. Django's WSGIHandler hands it
        # to the server's wsgi.file_wrapper, which may send it with sendfile(2).
        return FileResponse(open(os.path.join(settings.DOWNLOAD_DIR, name), 'rb'))
    except (OSError, ValueError):  # missing, a directory, unreadable, or a NUL in the name
        raise Http404('No such file')


@require_safe
def pid(request):
    return text(str(os.getpid()))


@require_safe
def echo(request):
    return text(f"id={request.GET.get('id', '')}")
