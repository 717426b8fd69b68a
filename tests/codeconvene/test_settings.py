"""Settings are read when asked, from env > .env > codeconvene.yaml; secrets never print."""

from __future__ import annotations

from codeconvene.settings import get_settings


def test_home_env_and_dotenv(tmp_path, monkeypatch):
    # GIVEN a .env with a token and a home, and the environment overriding the home
    (tmp_path / ".env").write_text("GROQ_API_KEY=gsk_secret_value\nCODECONVENE_HOME=from-dotenv\n")
    monkeypatch.setenv("CODECONVENE_HOME", str(tmp_path / "from-env"))
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    # WHEN settings are read
    settings = get_settings(cwd=tmp_path)
    # THEN the environment wins for the home, the .env supplies the secret, and it never prints
    assert settings.warehouse_path == tmp_path / "from-env" / "warehouse.duckdb"
    secret = settings.secret("GROQ_API_KEY")
    assert secret.get() == "gsk_secret_value"
    assert "gsk_secret_value" not in repr(secret) + str(secret) + repr(settings)
    assert settings.configured()["groq"] is True


def test_default_home_and_yaml(tmp_path, monkeypatch):
    monkeypatch.delenv("CODECONVENE_HOME", raising=False)
    (tmp_path / "codeconvene.yaml").write_text("maintainers: [ada, grace]\nexports: [/data/slack]\n")
    settings = get_settings(cwd=tmp_path)
    assert settings.home == tmp_path / ".codeconvene"
    assert settings.maintainers == ["ada", "grace"]
    assert [str(p) for p in settings.export_paths] == ["/data/slack"]


def test_maintainers_become_dbt_vars_and_junk_is_refused(tmp_path, monkeypatch):
    import pytest

    (tmp_path / "codeconvene.yaml").write_text("maintainers: [octocat]\nnot_maintainers: [release-captain]\n")
    settings = get_settings(cwd=tmp_path)
    assert settings.dbt_vars() == {"maintainers": ["octocat"], "not_maintainers": ["release-captain"]}
    (tmp_path / "codeconvene.yaml").write_text("maintainers: [\"x'); drop table y; --\"]\n")
    with pytest.raises(ValueError, match="maintainers"):
        get_settings(cwd=tmp_path).dbt_vars()
