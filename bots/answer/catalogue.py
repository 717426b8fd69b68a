"""The metric questions the engine answers, each one fixed SQL over marts (see `metrics`).

Order is priority: the first pattern found wins, so the specific comes before the general
("unanswered questions" before "questions", "new contributors" before "contributors",
"p85 response time" before "response time"). Every query takes the period's start and end
first, then the optional container and platform the `{scope}` fragment adds.
"""

from __future__ import annotations

from bots.answer.metrics import Metric, words

IN_PERIOD = "{col} >= cast(? as timestamp) and {col} < cast(? as timestamp){{scope}}"
FCT = "marts.fct_activities"
HUMAN = "not coalesce(is_bot, false)"


def _count(name, pattern, where, singular, plural) -> Metric:
    """A count of human activities in the period matching `where`."""
    return Metric(
        name=name,
        pattern=pattern,
        sql=f"select count(*) from {FCT} where {where} and {HUMAN} and "
        + IN_PERIOD.format(col="occurred_at"),
        source=FCT,
        singular=singular,
        plural=plural,
        container_column="container",
        platform_column="platform",
    )


def _response_time(name, pattern, quantile: float, label: str) -> Metric:
    return Metric(
        name=name,
        pattern=pattern,
        sql=(
            f"select quantile_cont(hours_to_first_response, {quantile}), "
            "count(hours_to_first_response), count(*) from marts.mart_responsiveness "
            "where not coalesce(is_bot_author, false) and "
            + IN_PERIOD.format(col="created_at")
        ),
        source="marts.mart_responsiveness",
        singular=f"The {label} time to first response for items opened {{phrase}} was {{n}} hours",
        plural=f"The {label} time to first response for items opened {{phrase}} was {{n}} hours",
        shape="hours",
        container_column="container",
        platform_column="platform",
    )


_RESPONSE_TIME = (
    r"(?:first\s+)?response\s+times?", r"time\s+to\s+(?:first\s+)?(?:response|reply|answer)",
    r"ttfr", r"(?:respond|reply|answer)\s+time", r"how\s+(?:fast|quickly|long)\b.*\b(?:respond|reply|answer|response)",
)

CATALOGUE: tuple[Metric, ...] = (
    Metric(
        name="top_responders",
        pattern=words(
            r"top\s+(?:responders?|helpers?|answerers?)", r"most\s+helpful",
            r"who\s+(?:answered|responded|replied|answers|responds|replies|helped)",
            r"(?:answered|responded|replied|answers|responds|replies)\s+(?:to\s+)?the\s+most",
            r"most\s+(?:first\s+)?(?:answers|responses|replies)",
        ),
        sql=(
            "select coalesce(c.display_name, r.responder_person_id) as name, count(*) as responses "
            "from marts.mart_responsiveness as r "
            "left join marts.dim_contributors as c on c.person_id = r.responder_person_id "
            "where r.responder_person_id is not null and not coalesce(r.is_bot_author, false) and "
            + IN_PERIOD.format(col="r.first_response_at")
            + " group by r.responder_person_id, c.display_name "
            "order by responses desc, name limit 5"
        ),
        source="marts.mart_responsiveness",
        singular="The top first responder {phrase}",
        plural="The top first responders {phrase}",
        shape="ranking",
        container_column="r.container",
        platform_column="r.platform",
        lists_people=True,
    ),
    Metric(
        name="top_contributors",
        pattern=words(
            r"top\s+contributors?", r"most\s+active\s+(?:contributors?|people|persons|members)",
            r"who\s+(?:contributed|was\s+most\s+active|is\s+most\s+active)",
            r"contributed\s+the\s+most",
        ),
        sql=(
            "select coalesce(c.display_name, a.person_id) as name, count(*) as contributions "
            f"from {FCT} as a left join marts.dim_contributors as c on c.person_id = a.person_id "
            "where a.is_contribution and not coalesce(a.is_bot, false) and "
            + IN_PERIOD.format(col="a.occurred_at")
            + " group by a.person_id, c.display_name order by contributions desc, name limit 5"
        ),
        source=FCT,
        singular="The top contributor {phrase}",
        plural="The top contributors {phrase}",
        shape="ranking",
        container_column="a.container",
        platform_column="a.platform",
        lists_people=True,
    ),
    Metric(
        name="unanswered_questions",
        pattern=words(
            r"unanswered", r"(?:not|never)\s+(?:been\s+)?(?:answered|replied)",
            r"without\s+(?:an?\s+)?(?:answer|reply|response)", r"no\s+(?:answer|reply|response)",
        ),
        # the mart lists questions no other human answered within the configured days
        sql="select count(*) from marts.mart_unanswered_questions where "
        + IN_PERIOD.format(col="asked_at"),
        source="marts.mart_unanswered_questions",
        singular="{n} question asked {phrase} got no answer within two days",
        plural="{n} questions asked {phrase} got no answer within two days",
        container_column="container",
        platform_column="platform",
    ),
    _response_time(
        "response_time_p85",
        words(*(rf"(?:p85|85th\s+percentile|85\s*%)\b.*\b{p}" for p in _RESPONSE_TIME),
              *(rf"{p}\b.*\b(?:p85|85th\s+percentile|85\s*%)" for p in _RESPONSE_TIME)),
        0.85,
        "85th-percentile",
    ),
    _response_time("response_time_median", words(*_RESPONSE_TIME), 0.5, "median"),
    Metric(
        name="new_contributors",
        pattern=words(
            r"new\s+(?:contributors?|people|persons|members|users|faces)",
            r"newcomers?", r"first[- ]time\s+contributors?", r"joined", r"join",
        ),
        # New = first *contribution* in the period (DESIGN §5, as mart_community_health_weekly
        # counts it); dim_contributors.first_seen_at also counts stars and forks. The scope is
        # where that first contribution happened.
        sql=(
            "select count(*) from ("
            "select person_id, min(occurred_at) as first_contribution_at, "
            "arg_min(container, occurred_at) as first_container, "
            "arg_min(platform, occurred_at) as first_platform "
            f"from {FCT} where is_contribution and {HUMAN} group by person_id"
            ") as firsts where " + IN_PERIOD.format(col="first_contribution_at")
        ),
        source=FCT,
        singular="{n} new contributor joined {phrase}",
        plural="{n} new contributors joined {phrase}",
        container_column="first_container",
        platform_column="first_platform",
    ),
    _count("pull_requests_closed",
           words(r"(?:pull\s+requests?|prs?)\s+(?:were\s+|got\s+)?closed", r"closed\s+(?:pull\s+requests?|prs?)"),
           "activity_type in ('pr_closed', 'pr_merged')",
           "{n} pull request was closed (merged or not) {phrase}",
           "{n} pull requests were closed (merged or not) {phrase}"),
    _count("issues_closed",
           words(r"issues?\s+(?:were\s+|got\s+)?closed", r"closed\s+issues?"),
           "activity_type = 'issue_closed'",
           "{n} issue was closed {phrase}", "{n} issues were closed {phrase}"),
    _count("pull_requests_merged", words(r"merged", r"merges"), "activity_type = 'pr_merged'",
           "{n} pull request was merged {phrase}", "{n} pull requests were merged {phrase}"),
    _count("pull_requests_opened", words(r"pull\s+requests?", r"prs?", r"change\s+requests?"),
           "activity_type = 'pr_opened'",
           "{n} pull request was opened {phrase}", "{n} pull requests were opened {phrase}"),
    _count("issues_opened", words(r"issues?", r"bug\s+reports?"), "activity_type = 'issue_opened'",
           "{n} issue was opened {phrase}", "{n} issues were opened {phrase}"),
    _count("stars", words(r"stars?", r"starred", r"stargazers?"), "activity_type = 'star'",
           "{n} star was given {phrase}", "{n} stars were given {phrase}"),
    _count("releases", words(r"releases?", r"released"), "activity_type = 'release'",
           "{n} release was published {phrase}", "{n} releases were published {phrase}"),
    _count("questions_asked", words(r"questions?"), "is_question",
           "{n} question was asked {phrase}", "{n} questions were asked {phrase}"),
    Metric(
        name="active_contributors",
        pattern=words(
            r"active\s+(?:contributors?|people|persons|members|users)",
            r"contributors?", r"people", r"persons", r"members",
        ),
        sql=(
            f"select count(distinct person_id) from {FCT} "
            f"where is_contribution and {HUMAN} and " + IN_PERIOD.format(col="occurred_at")
        ),
        source=FCT,
        singular="{n} contributor was active {phrase}",
        plural="{n} contributors were active {phrase}",
        container_column="container",
        platform_column="platform",
    ),
    _count("messages", words(r"messages?", r"chat\s+posts?", r"replies", r"posts?"),
           "activity_type in ('message', 'reply', 'post', 'topic')",
           "{n} chat or forum message (including replies) was posted by a person {phrase}",
           "{n} chat and forum messages (including replies) were posted by people {phrase}"),
    _count("activities", words(r"activit(?:y|ies)", r"events", r"how\s+active", r"busy"), "true",
           "{n} activity by people was recorded {phrase}",
           "{n} activities by people were recorded {phrase}"),
)
