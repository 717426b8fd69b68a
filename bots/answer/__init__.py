"""The answer engine shared by every bot: `answer(question, con)` → `Answer`."""

from bots.answer.engine import Answer, answer

__all__ = ["Answer", "answer"]
