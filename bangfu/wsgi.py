import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
application = get_wsgi_application()

from bangfu.core.keys import ensure  # noqa: E402  (needs the apps loaded above)

ensure()  # refuse to serve with a field key that is not the database's (reliability D2)
