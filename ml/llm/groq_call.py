"""One chat completion through the official `groq` SDK: retried, validated, redacted.

The SDK's own retry loop is switched off (`max_retries=0` on the client) and replaced by
this one so that the policy is ours and visible: 429 and 5xx answers and dropped
connections are retried with exponential backoff, and a `Retry-After` (or Groq's
`retry-after-ms`) is honoured exactly, because Groq's limits are per minute and per day and
the server knows when the window reopens. A wait longer than `max_wait_s` (a daily quota)
is not slept through: it fails at once with a clear line. Timeouts are not retried: a model
that did not answer one prompt in time rarely does on the next try, and a batch run should
not hang for minutes.

Every failure becomes one `LLMError` line naming the prompt, never the SDK's traceback, and
the API key is scrubbed from anything that could carry it (server error text, answers).
Causes are dropped (`from None`) because an SDK error holds the request, headers included.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import groq
from groq.types.chat import ChatCompletion

from ml.llm.provider import LLMError, Prompt

log = logging.getLogger("ml.llm.groq")

TEMPERATURE = 0.2
RETRY_STATUSES = frozenset({408, 409, 429})
STATUS_HINTS = {
    401: "check GROQ_API_KEY",
    403: "check GROQ_API_KEY and the key's permissions",
    404: "check GROQ_MODEL and GROQ_BASE_URL",
    413: "the prompt is too long for the model",
    422: "the request was refused; check GROQ_MODEL",
}


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait: `base_s * 2**attempt`, capped at `max_delay_s`."""

    max_retries: int = 3
    base_s: float = 1.0
    max_delay_s: float = 30.0
    max_wait_s: float = 120.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return max(0.0, retry_after)
        return min(self.base_s * 2**attempt, self.max_delay_s)


@dataclass(frozen=True)
class Answer:
    text: str
    model: str
    total_tokens: int


class Redactor:
    """Replaces the API key wherever it might surface; holds it without ever printing it."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def __call__(self, text: str) -> str:
        return text.replace(self._secret, "[redacted]") if self._secret else text

    def __repr__(self) -> str:
        return "Redactor('********')"


def chat(
    client: groq.Groq,
    prompt: Prompt,
    *,
    model: str,
    policy: RetryPolicy,
    redact: Redactor,
    timeout_s: float,
    sleep: Callable[[float], None] = time.sleep,
) -> Answer:
    """Ask `model` once (plus retries) for `prompt`; an `Answer` or one clear `LLMError`."""
    attempt = 0
    while True:
        try:
            response = client.chat.completions.create(
                model=model,
                messages=[
                    {"role": "system", "content": prompt.system},
                    {"role": "user", "content": prompt.user},
                ],
                temperature=TEMPERATURE,
            )
        except groq.APITimeoutError:
            raise LLMError(
                f"Groq did not answer the {prompt.name} prompt within {timeout_s:g} s "
                "(raise GROQ_TIMEOUT_S or try again later)"
            ) from None
        except groq.APIConnectionError:
            problem, detail, retry_after = "could not be reached", "", None
        except groq.APIStatusError as exc:
            status = exc.status_code
            detail = _server_message(exc, redact)
            if status not in RETRY_STATUSES and status < 500:
                hint = STATUS_HINTS.get(status, "the request was refused")
                raise LLMError(
                    f"Groq answered HTTP {status} for the {prompt.name} prompt ({hint}){detail}"
                ) from None
            problem, retry_after = f"answered HTTP {status}", _retry_after(exc)
        except json.JSONDecodeError:
            raise LLMError(
                f"Groq sent a malformed answer for the {prompt.name} prompt: the body is not JSON"
            ) from None
        else:
            return _parse(response, prompt, model, redact)
        if attempt >= policy.max_retries:
            tries = _attempts(attempt + 1)
            raise LLMError(f"Groq {problem} for the {prompt.name} prompt ({tries}){detail}")
        wait = policy.delay(attempt, retry_after)
        if wait > policy.max_wait_s:
            raise LLMError(
                f"Groq {problem} for the {prompt.name} prompt and asks to wait {wait:.0f} s "
                f"(a rate limit or quota; try again later){detail}"
            )
        attempt += 1
        log.warning(
            "Groq %s for the %s prompt; retry %d of %d in %.1f s",
            problem,
            prompt.name,
            attempt,
            policy.max_retries,
            wait,
        )
        sleep(wait)


def _attempts(n: int) -> str:
    return "1 attempt" if n == 1 else f"{n} attempts"


def _retry_after(exc: groq.APIStatusError) -> float | None:
    """Seconds the server asked for: `retry-after-ms` (Groq/OpenAI) or `Retry-After` seconds."""
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return float(raw) / scale
        except ValueError:
            continue  # an HTTP date: fall back to our own backoff
    return None


def _server_message(exc: groq.APIStatusError, redact: Redactor) -> str:
    body = exc.body
    message = None
    if isinstance(body, dict):
        error = body.get("error")
        message = error.get("message") if isinstance(error, dict) else body.get("message")
    if not isinstance(message, str) or not message.strip():
        return ""
    return ": " + redact(" ".join(message.split()))[:200]


def _parse(response: object, prompt: Prompt, model: str, redact: Redactor) -> Answer:
    def malformed(why: str) -> LLMError:
        return LLMError(f"Groq sent a malformed answer for the {prompt.name} prompt: {why}")

    if not isinstance(response, ChatCompletion):
        raise malformed("the body is not a chat completion")
    choices = response.choices
    if not isinstance(choices, list) or not choices:
        raise malformed("it has no choices")
    content = getattr(getattr(choices[0], "message", None), "content", None)
    if not isinstance(content, str):
        raise malformed("the first choice has no message content")
    if not content.strip():
        raise LLMError(f"Groq returned an empty answer for the {prompt.name} prompt")
    total = getattr(getattr(response, "usage", None), "total_tokens", None)
    if not isinstance(total, int) or total < 0:
        # no usage reported: count roughly (4 characters a token) so the budget still holds
        total = (len(prompt.system) + len(prompt.user) + len(content)) // 4
    answered_by = response.model if isinstance(response.model, str) and response.model else model
    return Answer(text=redact(content.strip()), model=answered_by, total_tokens=total)
