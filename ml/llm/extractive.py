"""Pick the few sentences that best represent a set of messages, without a model.

The offline engine needs "what people talked about" without a network. A sentence is
representative when its content words are shared by many of the messages (a centroid score
over document frequencies, the idea behind SumBasic/centroid summarizers), so a thread's
common topic outranks one person's aside. One sentence per message at most, near-duplicates
skipped, ties broken by id and position: the same messages always give the same picks.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[a-z][a-z0-9'+#-]{2,}")
_SKIP = re.compile(r"https?://|```|<@|^\s*[>|-]")
_STOPWORDS_TEXT = """
about above after again against all also and any are aren't because been before being
below between both but can can't cannot could did didn't does doesn't doing don't down
during each few for from further had has have having her here hers him his how i'm i've
into isn't it's its itself just let's more most much must not now off once only other our
ours out over own same she should so some such than that that's the their theirs them then
there there's these they this those through too under until very was wasn't were what
when where which while who whom why will with won't would you you're your yours yes get got
thanks thank hey hello please really one two like just
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@dataclass(frozen=True)
class RankedSentence:
    activity_id: str
    sentence: str
    score: float


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def content_words(sentence: str) -> set[str]:
    return {w for w in _WORD.findall(sentence.lower()) if w not in STOPWORDS}


def rank_sentences(
    messages: Iterable[tuple[str, str]],
    k: int = 3,
    min_words: int = 5,
    max_words: int = 40,
) -> list[RankedSentence]:
    """The top `k` sentences of `(activity_id, text)` messages, best first."""
    messages = list(messages)
    doc_freq: Counter[str] = Counter()
    for _, text in messages:
        doc_freq.update(content_words(text))
    candidates: list[tuple[float, str, int, str]] = []
    for activity_id, text in messages:
        for position, sentence in enumerate(split_sentences(text)):
            words = content_words(sentence)
            n_words = len(sentence.split())
            if not words or n_words < min_words or n_words > max_words or _SKIP.search(sentence):
                continue
            score = sum(math.log1p(doc_freq[w] - 1) for w in words) / math.sqrt(len(words))
            candidates.append((-score, activity_id, position, sentence))
    candidates.sort()
    picked: list[RankedSentence] = []
    used_messages: set[str] = set()
    for neg_score, activity_id, _, sentence in candidates:
        if len(picked) == k:
            break
        if activity_id in used_messages or _near_duplicate(sentence, picked):
            continue
        picked.append(RankedSentence(activity_id, sentence, round(-neg_score, 6)))
        used_messages.add(activity_id)
    return picked


def _near_duplicate(sentence: str, picked: list[RankedSentence]) -> bool:
    words = content_words(sentence)
    for other in picked:
        theirs = content_words(other.sentence)
        if len(words & theirs) / max(1, len(words | theirs)) > 0.5:
            return True
    return False
