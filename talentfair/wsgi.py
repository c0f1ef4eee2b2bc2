import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentfair.settings")

from talentfair.core.serving import bounded_client_sockets

application = bounded_client_sockets(get_wsgi_application())
