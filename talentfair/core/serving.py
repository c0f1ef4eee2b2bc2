"""How long a client may stall one of the web server's threads.

gunicorn's threaded workers read and write client sockets without a timeout: a client that stops reading a
response (or stops sending its request body) would hold its thread until the connection dies, which TCP may never
decide. ``bounded_client_sockets`` gives the connection a timeout for each read and write, so a stalled client
loses its request after ``CLIENT_SOCKET_TIMEOUT`` seconds and the thread is free again. A client that reads slowly
but steadily is not cut off: the timeout is per operation, not for the whole response.
"""

from django.conf import settings


def bounded_client_sockets(application):
    def app(environ, start_response):
        sock = environ.get("gunicorn.socket")  # absent under other servers (runserver, tests)
        timeout = settings.CLIENT_SOCKET_TIMEOUT
        if sock is not None and timeout > 0:
            sock.settimeout(timeout)
        return application(environ, start_response)

    return app
