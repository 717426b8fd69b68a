"""The LLM layer: one provider interface, Groq or the offline engine, prompts as files."""

from ml.llm.offline import OfflineProvider
from ml.llm.provider import Completion, LLMError, LLMProvider, Prompt, build_prompt, fence_data
from ml.llm.select import select_provider

__all__ = [
    "Completion",
    "LLMError",
    "LLMProvider",
    "OfflineProvider",
    "Prompt",
    "build_prompt",
    "fence_data",
    "select_provider",
]
