"""`codeconvene bot github [--apply]`: welcome first-time contributors, label and link issues.

Dry run by default: the plan is printed (checked against GitHub when GITHUB_TOKEN is set,
so it shows exactly what `--apply` would post). The warehouse is opened read-only; what was
posted is recorded on GitHub itself (hidden markers), so runs are safe to repeat.
"""

from __future__ import annotations

from collections.abc import Callable

from bots.github.apply import Executor, GitHubBotError, Pace, connect, print_plan_only
from bots.github.plan import DEFAULT_DAYS, plan

DEFAULT_PACE = Pace()
from codeconvene.settings import Settings
from codeconvene.warehouse import reader


def run(
    settings: Settings,
    apply: bool = False,
    *,
    days: int = DEFAULT_DAYS,
    out: Callable[[str], None] = print,
    retry: int | None = None,
    pace: Pace = DEFAULT_PACE,
) -> dict[str, object]:
    """Plan from the warehouse, then post (`apply`) or print; returns counts per outcome."""
    token = settings.secret("GITHUB_TOKEN")
    if apply and not token:
        raise GitHubBotError("GITHUB_TOKEN is not set; --apply needs it (add it to the environment or .env)")
    try:
        with reader(settings.warehouse_path) as con:
            actions = plan(con, days=days)
    except FileNotFoundError as error:
        raise GitHubBotError(str(error)) from None
    out(f"{len(actions)} action(s) planned for GitHub items opened in the last {days} days of data"
        + ("" if apply else " (dry run: nothing is posted; --apply to post)"))
    if not token:
        out("GITHUB_TOKEN is not set: the plan is not checked against GitHub")
        outcome = print_plan_only(actions, out)
    else:
        gh = connect(token, settings.value("GITHUB_API_URL"), retry=retry, pace=pace)
        try:
            outcome = Executor(gh, apply, out).run(actions)
        finally:
            gh.close()
    return {"planned": len(actions), **outcome.summary(apply)}
