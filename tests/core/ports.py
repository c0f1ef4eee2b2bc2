"""Local ports for tests that run a server of their own, or point a client where nothing listens."""

import socket


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (the probe socket closes again as it returns)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
