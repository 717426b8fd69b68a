"""The offline engine's template registry: every prompt file has a template, others may add."""

from __future__ import annotations

import pytest

from ml.llm import LLMError, OfflineProvider, Prompt
from ml.llm.offline import TEMPLATES, register_template
from ml.llm.provider import PROMPTS_DIR


def test_every_prompt_file_has_an_offline_template():
    # GIVEN the prompt files shipped in ml/llm/prompts, and the modules that own a prompt
    # and register its template when imported (as they are before they use it)
    import importlib

    for module in ("ml.faq", "ml.knowledge_triage_llm", "bots.answer.knowledge"):
        importlib.import_module(module)
    names = {path.stem for path in PROMPTS_DIR.glob("*.md")}
    # THEN the offline engine can answer each of them (no key needed for any output)
    assert names <= set(TEMPLATES), names - set(TEMPLATES)


def test_a_module_can_register_its_own_template():
    # GIVEN a template registered by a module outside ml.llm (twice: imports may repeat)
    def shout(data: dict) -> str:
        return str(data["word"]).upper()

    try:
        register_template("test_shout", shout)
        register_template("test_shout", shout)
        # WHEN a prompt of that name is completed offline
        text = OfflineProvider().complete(Prompt("test_shout", "s", "u", {"word": "hi"})).text
        # THEN the template wrote it, and no other template can take the name
        assert text == "HI"
        with pytest.raises(ValueError, match="test_shout"):
            register_template("test_shout", lambda data: "")
    finally:
        TEMPLATES.pop("test_shout", None)


def test_a_prompt_without_template_is_a_clear_error():
    with pytest.raises(LLMError, match="no template for the 'nope' prompt"):
        OfflineProvider().complete(Prompt("nope", "", ""))
