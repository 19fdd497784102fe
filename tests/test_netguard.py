import socket

import pytest

from tests.netguard import NetworkAccessDenied


def test_reaching_beyond_loopback_fails_the_test() -> None:
    with pytest.raises(NetworkAccessDenied):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)


def test_resolving_a_public_name_fails_the_test() -> None:
    with pytest.raises(NetworkAccessDenied):
        socket.getaddrinfo("api.telegram.org", 443)


def test_loopback_is_allowed() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    with socket.create_connection(server.getsockname(), timeout=1):
        pass
    server.close()
