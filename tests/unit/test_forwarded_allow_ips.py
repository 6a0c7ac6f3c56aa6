"""FORWARDED_ALLOW_IPS: which peers may set the client address; a bad entry stops start-up."""

from __future__ import annotations

import pytest

from assistant.config import ConfigError, Settings, parse_trusted_proxies


def test_no_proxy_is_trusted_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert Settings(assistant_env="test").trusted_proxies == []


def test_addresses_and_networks_are_normalized(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", " 10.0.0.5, 10.0.1.0/24 ,, 2001:DB8::1,fd00::/8")
    settings = Settings(assistant_env="test")
    assert settings.trusted_proxies == ["10.0.0.5", "10.0.1.0/24", "2001:db8::1", "fd00::/8"]


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("*", "not '*'"),
        ("10.0.0.5,*", "not '*'"),
        ("0.0.0.0/0", "trusts every address"),
        ("::/0", "trusts every address"),
        ("10.0.0.5/24", "host bits set"),  # a typo that would otherwise trust nothing silently
        ("proxy.internal", "not an IP address"),
        ("10.0.0.300", "not an IP address"),
        ("[::1]", "not an IP address"),
    ],
)
def test_a_bad_entry_is_a_clear_config_error(value: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match="FORWARDED_ALLOW_IPS") as raised:
        parse_trusted_proxies(value)
    assert complaint in str(raised.value)
    with pytest.raises(ConfigError):
        Settings(assistant_env="test", forwarded_allow_ips=value)
