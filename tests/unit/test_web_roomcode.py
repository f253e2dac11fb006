"""The room code: what it is made of, how it is compared, who needs it, and guessing."""

from __future__ import annotations

import pytest

from rednote_sim.web.addresses import public_hosts
from rednote_sim.web.roomcode import (
    ALPHABET,
    CODE_LENGTH,
    MAX_WRONG,
    WRONG_WINDOW,
    Guesses,
    is_loopback,
    matches,
    new_code,
)


def test_codes_are_short_readable_and_fresh() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200  # 31**6 possibilities: 200 draws do not repeat
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
    assert not set("01ILO") & set(ALPHABET)  # no look-alikes


def test_a_code_matches_in_any_case_with_blanks_around() -> None:
    assert matches("k7qm3p", "K7QM3P")
    assert matches(" K7QM3P\n", "K7QM3P")
    assert not matches("K7QM3", "K7QM3P")
    assert not matches("K7QM3PX", "K7QM3P")
    assert not matches("", "K7QM3P")
    assert not matches(None, "K7QM3P")
    assert not matches("Ｋ7QM3P", "K7QM3P")  # a full-width K is another character


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LocalHost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("classroom.local", False),
        ("localhost.evil.test", False),
    ],
)
def test_who_needs_a_code(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_too_many_wrong_codes_block_an_address_for_a_while() -> None:
    guesses = Guesses()
    for attempt in range(MAX_WRONG):
        assert not guesses.blocked("10.0.0.5", now=float(attempt))
        guesses.wrong("10.0.0.5", now=float(attempt))
    assert guesses.blocked("10.0.0.5", now=float(MAX_WRONG))
    assert not guesses.blocked("10.0.0.6", now=float(MAX_WRONG))  # others are not
    # The oldest wrong code leaves the window: one more try is allowed, not ten.
    assert not guesses.blocked("10.0.0.5", now=WRONG_WINDOW + 0.5)
    guesses.wrong("10.0.0.5", now=WRONG_WINDOW + 0.5)
    assert guesses.blocked("10.0.0.5", now=WRONG_WINDOW + 0.6)
    assert not guesses.blocked("10.0.0.5", now=3 * WRONG_WINDOW)


def test_the_printed_host_is_the_bound_one_unless_it_is_a_wildcard() -> None:
    assert public_hosts("192.168.1.20") == ["192.168.1.20"]
    assert public_hosts("fe80::1") == ["[fe80::1]"]
    assert public_hosts("classroom.local") == ["classroom.local"]


@pytest.mark.enable_socket  # reading the interfaces' addresses takes a (never connected) socket
def test_a_wildcard_prints_this_machines_own_addresses() -> None:
    import ipaddress
    import socket

    hosts = public_hosts("0.0.0.0")
    assert hosts
    for host in hosts:
        if host != socket.gethostname():
            assert not ipaddress.ip_address(host).is_loopback
            assert not ipaddress.ip_address(host).is_unspecified
    assert public_hosts("::") == hosts
