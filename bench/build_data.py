"""A synthetic community written straight into the raw tables with DuckDB SQL (bench/build.py).

GH Archive events and a Slack export for a few thousand people over two years, stored the way
ingest/ stores them: the key and helper columns of ingest/core/tables.py and `payload` = the
platform's record (a GH Archive event line; a users.json / channels.json / day-file element)
with the fields staging reads and their usual neighbours. Everything is set-based SQL.
Randomness is `hash(hash(row, purpose, seed))`, so the same arguments give the same rows
whatever DuckDB's thread count (`random()` after `setseed` repeats only on one thread).

The world (people, repositories, channels, issue/PR threads, Slack thread roots) lives in a
second file attached as `world`, so an appended batch can answer older threads.
"""

from __future__ import annotations

import duckdb

from ml.tables import SENTIMENT, ensure_ml_table

VERSION = 1  # bump when the generated rows change: bench/build.py reuses kept histories by it
T1 = 1_772_323_200  # 2026-03-01 00:00 UTC: the end of the generated history
SPAN = 730 * 86_400  # two years
T0 = T1 - SPAN
CORE = 40  # most active people, in the project since its start


def _split(text: str) -> list[str]:
    return text.split()


FIRST = _split(
    "Anna Ben Chen Dara Elif Femi Gita Hugo Ines Jonas Kofi Lena Mateo Nadia Omar Priya "
    "Quinn Rosa Sven Tara Umar Vera Wei Xena Yusuf Zoe Aiko Bruno Carla Diego Emil Farah "
    "Goran Hana Ivan Jana Kai Luca Maya Nils Olga Pablo Rhea Sami Tomas Uma Viktor Wanda "
    "Yara Zane"
)
LAST = _split(
    "Abe Berg Costa Dubois Eriksen Fischer Garcia Hansen Ito Jensen Kowalski Lopez Moreau "
    "Nakamura Okafor Petrov Quinto Rossi Silva Tanaka Ueda Varga Weber Xu Yilmaz Zhang "
    "Alvarez Brandt Chopra Dimitrov Engel Fontaine Gupta Horvat Iqbal Jovanovic Kim Larsen "
    "Mensah Novak Ortiz Park Reyes Sato Toure Urban Vogel Wood Young Ziegler"
)
WORDS = _split(
    "the a to of and in is it for on this that with we can build test fix error when "
    "release docs update crash memory flaky windows linux install config cli api issue "
    "version support python rust node should would could please thanks merge branch commit "
    "review feature bug regression slow timeout cache token parser schema great love "
    "awesome broken fails works nice help stuck weird confusing happy sorry again today "
    "tomorrow plugin server client deploy ci pipeline"
)
TIMEZONES = (
    ("America/Los_Angeles", -28_800),
    ("America/New_York", -18_000),
    ("America/Sao_Paulo", -10_800),
    ("Europe/London", 0),
    ("Europe/Berlin", 3_600),
    ("Asia/Kolkata", 19_800),
    ("Asia/Tokyo", 32_400),
)
REPOS = _split(
    "widget widget-docs widget-cli widget-web widget-sdk-py widget-sdk-js widget-helm widget-bench"
)
CHANNELS = _split(
    "help general dev announcements random releases ci docs design community showcase jobs"
)
DOMAINS = _split("acme.io initech.com globex.com umbrella.dev hooli.com stark.io")
PERSONAL = _split("gmail.com outlook.com proton.me")
LABELS = ("bug", "enhancement", "question", "documentation", "good first issue", "help wanted")


def _list(values) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def define_macros(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Temporary macros: uniform draws, picks, skewed ranks, texts and working-hour times."""
    con.execute(f"""
        create or replace temp macro u(k, s) as (hash(hash(k, s, {seed})) % 1000000007) / 1000000007.0;
        create or replace temp macro pick(lst, k, s) as lst[1 + (hash(hash(k, s, {seed})) % len(lst))::integer];
        create or replace temp macro words(k, s, n) as array_to_string(list_transform(range(n),
            lambda x: {_list(WORDS)}[1 + (hash(hash(k, s, x, {seed})) % {len(WORDS)})::integer]), ' ');
        create or replace temp macro skew(k, s, n, power) as least(n - 1, floor(n * pow(u(k, s), power)))::bigint;
        create or replace temp macro delay(k, s, mean_s) as (1 + floor(-ln(1 - u(k, s)) * mean_s))::bigint;
        create or replace temp macro ts_of(e) as make_timestamp(e::bigint * 1000000);
        create or replace temp macro iso(e) as strftime(ts_of(e), '%Y-%m-%dT%H:%M:%SZ');
        create or replace temp macro local_day(e, tz) as floor((e + tz) / 86400)::bigint;
        create or replace temp macro work_at(e, k, tz) as (
            (local_day(e, tz) - case when (local_day(e, tz) + 3) % 7 >= 5 and u(k, 'weekend') < 0.6
                                     then (local_day(e, tz) + 3) % 7 - 4 else 0 end) * 86400
            + (case when u(k, 'office') < 0.8 then 32400 + floor(32400 * u(k, 'hour'))
                    else floor(86400 * u(k, 'hour')) end)::bigint - tz);
        create or replace temp macro gh_user(login, id) as {{'login': login, 'id': id,
            'url': 'https://api.github.com/users/' || login, 'html_url': 'https://github.com/' || login,
            'type': case when login like '%[bot]' then 'Bot' else 'User' end, 'site_admin': false}};
    """)


def create_world(con: duckdb.DuckDBPyConnection, people: int, window: int) -> None:
    """People (ranked: 0 is the most active), repositories, channels; `late` people join later."""
    late = max(10, people // 50)
    tz_names, tz_offsets = (
        _list(t[0] for t in TIMEZONES),
        "[" + ", ".join(str(t[1]) for t in TIMEZONES) + "]",
    )
    con.execute(f"""
        create or replace table world.people as
        with base as (
            select i, pick({_list(FIRST)}, i, 'first') as first_name, pick({_list(LAST)}, i, 'last') as last_name,
                1 + (hash(hash(i, 'tz', 0)) % {len(TIMEZONES)})::integer as tz_index,
                case when i < {CORE} then 0.1 * u(i, 'start') else sqrt(u(i, 'start')) * 0.97 end as start_frac,
                case when i < {CORE} then 1.0 else greatest(0.03, -ln(1 - u(i, 'tenure')) * 0.3) end as tenure_frac
            from range({people + late}) as t(i)
        )
        select
            i as person_idx, i >= {people} as is_late,
            first_name || ' ' || last_name as full_name,
            lower(first_name[1] || last_name) || i as login,
            1000000 + i * 7 as github_id,
            'U' || lpad(cast(i as varchar), 9, '0') as slack_user_id,
            case when u(i, 'same_username') < 0.5 then lower(first_name[1] || last_name) || i
                 else lower(first_name) || '.' || lower(last_name) || (i % 89) end as slack_name,
            i < {CORE} or u(i, 'github') < 0.8 as has_github,
            i < {CORE} or u(i, 'slack') < 0.55 or u(i, 'github') >= 0.8 as has_slack,
            case when u(i, 'work') < 0.45 then lower(first_name || '.' || last_name) || i || '@' || pick({_list(DOMAINS)}, i, 'domain')
                 else lower(first_name || last_name) || i || '@' || pick({_list(PERSONAL)}, i, 'mail') end as email,
            u(i, 'same_email') < 0.7 as slack_has_same_email,
            u(i, 'links') < 0.1 as slack_title_links_github,
            {tz_names}[tz_index] as tz, {tz_offsets}[tz_index] as tz_offset,
            case when i >= {people} then {T1} + floor(u(i, 'late') * {window})::bigint
                 else {T0} + floor(start_frac * {SPAN})::bigint end as starts_e,
            case when i >= {people} then {T1 + window}
                 else least({T1}, {T0} + floor((start_frac + tenure_frac) * {SPAN})::bigint) end as ends_e
        from base;
        create or replace table world.repos as
        select i as repo_idx, 'acme/' || name as repo, 100000000 + i * 13 as repo_id
        from (select unnest({_list(REPOS)}) as name, generate_subscripts({_list(REPOS)}, 1) - 1 as i);
        create or replace table world.channels as
        select i as channel_idx, 'C' || lpad(cast(i as varchar), 9, '0') as channel_id, name
        from (select unnest({_list(CHANNELS)}) as name, generate_subscripts({_list(CHANNELS)}, 1) - 1 as i);
        create table if not exists world.threads (gid bigint, batch integer, repo varchar, repo_id bigint,
            number bigint, is_pr boolean, author varchar, author_id bigint, created_e bigint, title varchar,
            body varchar, label varchar, close_e bigint, merged boolean, closer varchar, closer_id bigint);
        create table if not exists world.roots (channel_id varchar, ts varchar, e bigint, user_id varchar, batch integer);
    """)


def actors(
    con: duckdb.DuckDBPyConnection, name: str, platform_flag: str, batch: int, lo: int, hi: int
) -> int:
    """Temp table `name` of the people who may act in [lo, hi], ranked r = 0.. by activity."""
    eligible = "not is_late" if batch == 1 else f"(is_late or ends_e >= {lo - 45 * 86_400})"
    times = (
        "starts_e as act_lo, ends_e as act_hi"
        if batch == 1
        else f"greatest(starts_e, {lo}) as act_lo, {hi} as act_hi"
    )
    con.execute(f"""
        create or replace temp table {name} as
        select row_number() over (order by person_idx) - 1 as r, *, {times}
        from world.people where {platform_flag} and {eligible}
    """)
    return con.execute(f"select count(*) from {name}").fetchone()[0]


def at_work(k: str, salt: str, person: str, lo: int, hi: int) -> str:
    """SQL: a time in the person's active window, in their working hours, kept inside [lo, hi]."""
    return (
        f"greatest({lo}, least({hi}, work_at({person}.act_lo + floor(u({k}, '{salt}') * "
        f"({person}.act_hi - {person}.act_lo))::bigint, {k}, {person}.tz_offset)))"
    )


def _thread_issue(state: str, closed_at: str) -> str:
    """SQL: the `issue` object of thread `t` as GH Archive has it (PR threads link their pull)."""
    fields = f"""'url': 'https://api.github.com/repos/' || t.repo || '/issues/' || t.number,
        'repository_url': 'https://api.github.com/repos/' || t.repo, 'html_url': {_thread_url()},
        'id': 700000000 + t.gid, 'number': t.number, 'title': t.title, 'user': gh_user(t.author, t.author_id),
        'labels': list_filter([{{'id': 1000 + t.gid % 7, 'name': t.label}}], lambda l: l.name is not null),
        'state': {state}, 'locked': false, 'comments': 0, 'created_at': iso(t.created_e),
        'updated_at': iso(t.created_e), 'closed_at': {closed_at}, 'author_association': 'CONTRIBUTOR',
        'body': t.body"""
    pull = (
        "'pull_request': {'url': 'https://api.github.com/repos/' || t.repo || '/pulls/' || t.number, "
        "'html_url': 'https://github.com/' || t.repo || '/pull/' || t.number}"
    )
    return f"case when t.is_pr then to_json({{{fields}, {pull}}}) else to_json({{{fields}}}) end"


def _thread_url() -> str:
    return "'https://github.com/' || t.repo || case when t.is_pr then '/pull/' else '/issues/' end || t.number"


def _thread_pull(state: str, closed_at: str, merged: str) -> str:
    return f"""{{'url': 'https://api.github.com/repos/' || t.repo || '/pulls/' || t.number, 'id': 800000000 + t.gid,
        'html_url': {_thread_url()}, 'number': t.number, 'state': {state}, 'locked': false, 'title': t.title,
        'user': gh_user(t.author, t.author_id), 'body': t.body, 'created_at': iso(t.created_e),
        'updated_at': iso(t.created_e), 'closed_at': {closed_at},
        'merged_at': case when {merged} then {closed_at} end, 'merged': {merged},
        'head': {{'ref': 'feature-' || t.gid, 'sha': md5('head' || t.gid) || left(md5('h' || t.gid), 8)}},
        'base': {{'ref': 'main', 'repo': {{'id': t.repo_id, 'full_name': t.repo}}}},
        'author_association': 'CONTRIBUTOR', 'commits': 1 + t.gid % 5, 'additions': t.gid % 400,
        'deletions': t.gid % 150, 'changed_files': 1 + t.gid % 9}}"""


def _responses(
    kind: int, n: int, base: int, targets: str, n_targets: int, gh: int, lo: int, hi: int
) -> str:
    """SQL rows answering threads of `targets`: who (often a core maintainer) and when."""
    return f"""
        select {kind} as kind, {base} + k as gid, x.gid as thread_gid,
            case when x.created_e + delay({base} + k, 'after', 108000) < {lo}
                 then {lo} + floor(u({base} + k, 'late') * {hi - lo})::bigint
                 else x.created_e + delay({base} + k, 'after', 108000) end as e,
            c.login, c.github_id as aid
        from range({n}) as r(k)
        join {targets} as x on x.tr = hash(hash({base} + k, 'thread', 0)) % {max(n_targets, 1)}
        join gh as c on c.r = case when u({base} + k, 'core') < 0.55 then skew({base} + k, 'responder', {gh}, 6)
                                   else skew({base} + k, 'commenter', {gh}, 3) end"""


def add_github(con: duckdb.DuckDBPyConnection, n: int, batch: int, lo: int, hi: int) -> None:
    """About n GitHub activities in [lo, hi] as GH Archive events (plus non-activity CreateEvents)."""
    gh = actors(con, "gh", "has_github", batch, lo, hi)
    b, repos = batch * 100_000_000, len(REPOS)
    n_threads, n_comments, n_reviews, n_review_comments, n_forks, n_releases, n_creates = (
        max(1, round(n * share)) for share in (0.09, 0.2, 0.07, 0.07, 0.012, 0.004, 0.05)
    )
    stars_pool = (
        gh if batch == 1 else con.execute("select count(*) from gh where is_late").fetchone()[0]
    )
    n_stars = min(round(n * 0.05), stars_pool * repos // 2)
    n_pushes = max(
        1,
        n
        - round(n_threads * 1.77)
        - n_comments
        - n_reviews
        - n_review_comments
        - n_stars
        - n_forks
        - n_releases,
    )
    con.execute(f"""
        insert into world.threads
        with drawn as (
            select {b} + k as gid, u({b} + k, 'pr') < 0.5 as is_pr, skew({b} + k, 'repo', {repos}, 2) as repo_idx
            from range({n_threads}) as r(k)
        ),
        placed as (
            select d.*, rp.repo, rp.repo_id,
                case when d.is_pr and u(d.gid, 'bot') < 0.04 then 'dependabot[bot]' else a.login end as author,
                case when d.is_pr and u(d.gid, 'bot') < 0.04 then 49699333 else a.github_id end as author_id,
                {at_work("d.gid", "opened", "a", lo, hi)} as created_e,
                c.login as core_login, c.github_id as core_id
            from drawn as d
            join world.repos as rp using (repo_idx)
            join gh as a on a.r = skew(d.gid, 'author', {gh}, 3)
            join gh as c on c.r = skew(d.gid, 'closer', {gh}, 6)
        )
        select gid, {batch}, p.repo, repo_id,
            row_number() over (partition by p.repo order by created_e, gid) + coalesce(m.last_number, 0),
            is_pr, author, author_id, created_e,
            case when u(gid, 'ask') < 0.3 then 'How do I ' || words(gid, 'title', 4) || '?'
                 when is_pr then 'Fix ' || words(gid, 'title', 5) else words(gid, 'title', 6) end,
            words(gid, 'body', 8 + skew(gid, 'length', 80, 2)),
            case when u(gid, 'labelled') < 0.3 then pick({_list(LABELS)}, gid, 'label') end,
            case when u(gid, 'closes') < case when is_pr then 0.85 else 0.7 end
                 then created_e + delay(gid, 'open_for', 432000) end,
            is_pr and u(gid, 'merged') < 0.8,
            case when not is_pr and u(gid, 'self_close') < 0.3 then author else core_login end,
            case when not is_pr and u(gid, 'self_close') < 0.3 then author_id else core_id end
        from placed as p
        left join (select repo, max(number) as last_number from world.threads group by repo) as m on m.repo = p.repo;

        create or replace temp table targets as
        select row_number() over (order by gid) - 1 as tr, * from world.threads
        where {"batch = 1" if batch == 1 else f"created_e >= {lo - 60 * 86_400}"};
        create or replace temp table pr_targets as
        select row_number() over (order by gid) - 1 as tr, * from targets where is_pr;
    """)
    n_targets, n_pr_targets = (
        con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("targets", "pr_targets")
    )
    responses = " union all ".join(
        [
            _responses(3, n_comments, b, "targets", n_targets, gh, lo, hi),
            _responses(4, n_reviews, b + 30_000_000, "pr_targets", n_pr_targets, gh, lo, hi),
            _responses(
                5, n_review_comments, b + 60_000_000, "pr_targets", n_pr_targets, gh, lo, hi
            ),
        ]
    )
    issue_open = _thread_issue("'open'", "null")
    pull_open = _thread_pull("'open'", "null", "false")
    con.execute(f"""
        create or replace temp table gh_events as
        with responses as (
            select resp.*, case resp.kind when 3 then 1000000000 when 4 then 3000000000 else 2000000000 end + resp.gid as item_id
            from ({responses}) as resp where resp.e <= {hi}
        ),
        pushes as (
            select p.*, commits[len(commits)].sha as head from (
                select {b} + k as gid, a.login, a.github_id as aid, {at_work(f"{b} + k", "push", "a", lo, hi)} as e,
                    skew({b} + k, 'repo', {repos}, 2) as repo_idx,
                    list_transform(range(1 + skew({b} + k, 'commits', 3, 2)), lambda c: {{
                        'sha': md5('c' || ({b} + k) || ':' || c) || left(md5('s' || ({b} + k) || ':' || c), 8),
                        'author': case when u({b} + k, 'noreply') < 0.15
                            then {{'email': a.github_id || '+' || a.login || '@users.noreply.github.com', 'name': a.full_name}}
                            else {{'email': a.email, 'name': a.full_name}} end,
                        'message': words(({b} + k) * 4 + c, 'message', 3 + skew(({b} + k) * 4 + c, 'mlen', 12, 2)),
                        'distinct': true}}) as commits
                from range({n_pushes}) as r(k) join gh as a on a.r = skew({b} + k, 'pusher', {gh}, 3)
            ) as p
        ),
        events as (
            select 1 as kind, t.gid, t.created_e as e, t.author as login, t.author_id as aid, t.repo, t.repo_id,
                case when t.is_pr then 'PullRequestEvent' else 'IssuesEvent' end as event_type,
                case when t.is_pr then to_json({{'action': 'opened', 'number': t.number, 'pull_request': {pull_open}}})
                     else to_json({{'action': 'opened', 'issue': {issue_open}}}) end as inner_payload
            from world.threads as t where t.batch = {batch}
            union all
            select 2, t.gid, t.close_e, t.closer, t.closer_id, t.repo, t.repo_id,
                case when t.is_pr then 'PullRequestEvent' else 'IssuesEvent' end,
                case when t.is_pr then to_json({{'action': 'closed', 'number': t.number,
                         'pull_request': {_thread_pull("'closed'", "iso(t.close_e)", "t.merged")}}})
                     else to_json({{'action': 'closed', 'issue': {_thread_issue("'closed'", "iso(t.close_e)")}}}) end
            from world.threads as t where t.close_e between {lo} and {hi}
            union all
            select x.kind, x.gid, x.e, x.login, x.aid, t.repo, t.repo_id,
                case x.kind when 3 then 'IssueCommentEvent' when 4 then 'PullRequestReviewEvent' else 'PullRequestReviewCommentEvent' end,
                case x.kind
                    when 3 then to_json({{'action': 'created', 'issue': {issue_open}, 'comment': {{
                        'id': x.item_id, 'html_url': {_thread_url()} || '#issuecomment-' || x.item_id,
                        'user': gh_user(x.login, x.aid), 'created_at': iso(x.e), 'updated_at': iso(x.e),
                        'author_association': 'MEMBER', 'body': words(x.gid, 'comment', 4 + skew(x.gid, 'clen', 60, 2))}}}})
                    when 4 then to_json({{'action': 'created', 'pull_request': {pull_open}, 'review': {{
                        'id': x.item_id, 'user': gh_user(x.login, x.aid),
                        'body': case when u(x.gid, 'empty') < 0.4 then '' else words(x.gid, 'review', 12) end,
                        'state': pick(['approved', 'commented', 'changes_requested'], x.gid, 'state'),
                        'html_url': {_thread_url()} || '#pullrequestreview-' || x.item_id, 'submitted_at': iso(x.e)}}}})
                    else to_json({{'action': 'created', 'pull_request': {pull_open}, 'comment': {{
                        'id': x.item_id, 'html_url': {_thread_url()} || '#discussion_r' || x.item_id,
                        'user': gh_user(x.login, x.aid), 'path': 'src/' || pick({_list(WORDS)}, x.gid, 'path') || '.py',
                        'created_at': iso(x.e), 'body': words(x.gid, 'rcomment', 10)}}}})
                end
            from responses as x join world.threads as t on t.gid = x.thread_gid
            union all
            select 0, p.gid, p.e, p.login, p.aid, rp.repo, rp.repo_id, 'PushEvent',
                to_json({{'repository_id': rp.repo_id, 'push_id': 9000000000 + p.gid, 'size': len(p.commits),
                          'distinct_size': len(p.commits), 'ref': 'refs/heads/main', 'head': p.head,
                          'before': md5('before' || p.gid) || left(md5('b' || p.gid), 8), 'commits': p.commits}})
            from pushes as p join world.repos as rp using (repo_idx)
            union all
            select 6, {b} + k, {at_work(f"{b} + k", "star", "a", lo, hi)}, a.login, a.github_id, rp.repo, rp.repo_id,
                'WatchEvent', to_json({{'action': 'started'}})
            from range({n_stars}) as r(k)
            join (select row_number() over (order by r) - 1 as sr, * from gh where {"true" if batch == 1 else "is_late"}) as a
                on a.sr = k % {max(stars_pool, 1)}
            join world.repos as rp on rp.repo_idx = (k // {max(stars_pool, 1)} + hash(hash(a.person_idx, 'stars', 0))) % {repos}
            union all
            select 7, {b} + k, {at_work(f"{b} + k", "fork", "a", lo, hi)}, a.login, a.github_id, rp.repo, rp.repo_id, 'ForkEvent',
                to_json({{'forkee': {{'id': 600000000 + {b} + k, 'name': split_part(rp.repo, '/', 2),
                    'full_name': a.login || '/' || split_part(rp.repo, '/', 2),
                    'html_url': 'https://github.com/' || a.login || '/' || split_part(rp.repo, '/', 2),
                    'owner': gh_user(a.login, a.github_id), 'fork': true, 'private': false}}}})
            from range({n_forks}) as r(k) join gh as a on a.r = skew({b} + k, 'forker', {gh}, 2)
            join world.repos as rp on rp.repo_idx = skew({b} + k, 'repo', {repos}, 2)
            union all
            select 8, {b} + k, {at_work(f"{b} + k", "release", "a", lo, hi)}, a.login, a.github_id, rp.repo, rp.repo_id,
                'ReleaseEvent', to_json({{'action': 'published', 'release': {{'id': 400000000 + {b} + k,
                    'tag_name': 'v{batch}.' || k // {repos} || '.0', 'name': 'Release v{batch}.' || k // {repos},
                    'body': words({b} + k, 'notes', 30), 'draft': false, 'prerelease': false,
                    'html_url': 'https://github.com/' || rp.repo || '/releases/tag/v{batch}.' || k // {repos} || '.0',
                    'author': gh_user(a.login, a.github_id)}}}})
            from range({n_releases}) as r(k) join gh as a on a.r = skew({b} + k, 'releaser', least({gh}, {CORE}), 1)
            join world.repos as rp on rp.repo_idx = k % {repos}
            union all
            select 9, {b} + k, {at_work(f"{b} + k", "create", "a", lo, hi)}, a.login, a.github_id, rp.repo, rp.repo_id,
                'CreateEvent', to_json({{'ref': 'feature-' || ({b} + k), 'ref_type': 'branch', 'master_branch': 'main',
                                        'pusher_type': 'user'}})
            from range({n_creates}) as r(k) join gh as a on a.r = skew({b} + k, 'creator', {gh}, 3)
            join world.repos as rp on rp.repo_idx = skew({b} + k, 'repo', {repos}, 2)
        )
        select * from events;

        insert into raw_github.events
        select event_id, event_type, repo, login, ts_of(e),
            to_json({{'id': event_id, 'type': event_type,
                'actor': {{'id': aid, 'login': login, 'display_login': login, 'gravatar_id': '',
                          'url': 'https://api.github.com/users/' || login,
                          'avatar_url': 'https://avatars.githubusercontent.com/u/' || aid || '?'}},
                'repo': {{'id': repo_id, 'name': repo, 'url': 'https://api.github.com/repos/' || repo}},
                'payload': inner_payload, 'public': true, 'created_at': iso(e),
                'org': {{'id': 9000001, 'login': 'acme', 'gravatar_id': '', 'url': 'https://api.github.com/orgs/acme'}}}}),
            'github:gharchive', 'bench-{batch}', ts_of({hi + 3600})
        from (select *, cast(30000000000 + kind::bigint * 1000000000 + gid as varchar) as event_id from gh_events);
        drop table gh_events;
    """)


def _slack_people(con: duckdb.DuckDBPyConnection, batch: int) -> None:
    """users.json elements of the people who join in this batch (plus a deploy bot), channels once."""
    who = "not is_late" if batch == 1 else "is_late"
    con.execute(f"""
        insert or replace into raw_slack.users
        select slack_user_id, 'T0BENCH', ts_of(starts_e), to_json({{'id': slack_user_id, 'team_id': 'T0BENCH',
                'name': slack_name, 'deleted': false, 'real_name': full_name, 'tz': tz, 'tz_offset': tz_offset,
                'profile': {{'title': case when slack_title_links_github and has_github then 'Engineer, github.com/' || login else '' end,
                    'real_name': full_name, 'real_name_normalized': full_name,
                    'display_name': case when u(person_idx, 'display') < 0.5 then split_part(full_name, ' ', 1) else '' end,
                    'email': case when slack_has_same_email then email else slack_name || '@' || pick({_list(PERSONAL)}, person_idx, 'slack_mail') end,
                    'team': 'T0BENCH'}},
                'is_admin': person_idx < 5, 'is_owner': person_idx = 0, 'is_bot': false, 'is_app_user': false,
                'updated': starts_e}}),
            'slack:bench', 'bench-{batch}', ts_of(ends_e)
        from world.people where has_slack and {who}
    """)
    if batch != 1:
        return
    con.execute(f"""
        insert into raw_slack.users values ('U0DEPLOYBOT', 'T0BENCH', ts_of({T0}), to_json({{'id': 'U0DEPLOYBOT',
            'team_id': 'T0BENCH', 'name': 'deploybot', 'deleted': false, 'real_name': 'Deploy Bot', 'is_bot': true,
            'profile': {{'real_name': 'Deploy Bot', 'display_name': 'deploybot', 'bot_id': 'B0DEPLOYBOT'}}, 'updated': {T0}}}),
            'slack:bench', 'bench-1', ts_of({T1}));
        insert into raw_slack.channels
        select channel_id, name, ts_of({T0} + channel_idx * 3600), to_json({{'id': channel_id, 'name': name,
                'created': {T0} + channel_idx * 3600, 'creator': 'U000000000', 'is_archived': false,
                'is_general': name = 'general', 'members': ['U000000000', 'U000000001'],
                'topic': {{'value': 'All about ' || name, 'creator': 'U000000000', 'last_set': {T0} + channel_idx * 3600}},
                'purpose': {{'value': 'Talk about ' || name, 'creator': 'U000000000', 'last_set': {T0} + channel_idx * 3600}}}}),
            'slack:bench', 'bench-1', ts_of({T1})
        from world.channels
    """)


def add_slack(con: duckdb.DuckDBPyConnection, n: int, batch: int, lo: int, hi: int) -> None:
    """About n Slack messages and thread replies in [lo, hi] (plus channel joins, and edits later)."""
    sl = actors(con, "sl", "has_slack", batch, lo, hi)
    _slack_people(con, batch)
    b, channels = batch * 100_000_000, len(CHANNELS)
    n_tops, n_joins = round(n * 0.5), max(1, round(n * 0.03))
    opener = _list(
        ["how do i", "does anyone know", "can someone", "is it possible to", "why does", "what is"]
    )
    con.execute(f"""
        create or replace temp table tops as
        select {b} + k as gid, ch.channel_id, a.slack_user_id as author, a.person_idx,
            u({b} + k, 'bot') < 0.02 as is_bot, {at_work(f"{b} + k", "posted", "a", lo, hi)} as e
        from range({n_tops}) as r(k)
        join sl as a on a.r = skew({b} + k, 'poster', {sl}, 3)
        join world.channels as ch on ch.channel_idx = skew({b} + k, 'channel', {channels}, 2);
        alter table tops add column ts varchar;
        update tops set ts = e || '.' || lpad(cast(hash(hash(gid, 'micros', 0)) % 1000000 as varchar), 6, '0');
        insert into world.roots
        select channel_id, ts, e, author, {batch} from tops where not is_bot and u(gid, 'threaded') < 0.35;
        create or replace temp table roots as
        select row_number() over (order by channel_id, ts) - 1 as rr, * from world.roots
        where {"batch = 1" if batch == 1 else f"e >= {lo - 14 * 86_400}"};
    """)
    n_roots = con.execute("select count(*) from roots").fetchone()[0]
    con.execute(f"""
        create or replace temp table replies as
        select gid, channel_id, root_ts, root_user, author, e,
            e || '.' || lpad(cast(hash(hash(gid, 'micros', 0)) % 1000000 as varchar), 6, '0') as ts
        from (
            select {b} + 50000000 + k as gid, x.channel_id, x.ts as root_ts, x.user_id as root_user, a.slack_user_id as author,
                case when x.e + delay({b} + k, 'reply_after', 10800) < {lo}
                     then {lo} + floor(u({b} + k, 'late') * {hi - lo})::bigint
                     else x.e + delay({b} + k, 'reply_after', 10800) end as e
            from range({n - n_tops}) as r(k)
            join roots as x on x.rr = hash(hash({b} + k, 'root', 0)) % {max(n_roots, 1)}
            join sl as a on a.r = case when u({b} + k, 'core') < 0.5 then skew({b} + k, 'helper', {sl}, 6)
                                       else skew({b} + k, 'replier', {sl}, 3) end
        ) where e <= {hi};

        insert or ignore into raw_slack.messages
        with thread_stats as (
            select channel_id, root_ts, count(*) as replies, count(distinct author) as repliers, max(ts) as latest
            from replies group by all
        ),
        messages as (
            select t.gid, t.channel_id, t.ts, null as thread_ts, t.e,
                case when t.is_bot then null else t.author end as user_id,
                case when t.is_bot then 'B0DEPLOYBOT' end as bot_id,
                case when t.is_bot then 'bot_message' end as subtype,
                case when t.is_bot then 'Deployed ' || words(t.gid, 'deploy', 3) || ' to production'
                     when u(t.gid, 'ask') < 0.25 then pick({opener}, t.gid, 'opener') || ' ' || words(t.gid, 'text', 8) || '?'
                     when u(t.gid, 'mention') < 0.1 then '<@U' || lpad(cast(hash(hash(t.gid, 'who', 0)) % 200 as varchar), 9, '0') || '> ' || words(t.gid, 'text', 10)
                     when u(t.gid, 'link') < 0.06 then '<https://github.com/acme/widget/issues/' || t.gid % 500 || '|widget#' || t.gid % 500 || '> ' || words(t.gid, 'text', 8)
                     else words(t.gid, 'text', 4 + skew(t.gid, 'length', 40, 2)) end as text,
                case when s.replies > 0 then t.ts end as root_thread_ts,
                s.replies, s.repliers, s.latest, null as parent_user_id
            from tops as t left join thread_stats as s on s.channel_id = t.channel_id and s.root_ts = t.ts
            union all
            select gid, channel_id, ts, root_ts, e, author, null, null,
                case when u(gid, 'thanks') < 0.15 then 'thanks, that worked :tada:' else words(gid, 'reply', 3 + skew(gid, 'length', 30, 2)) end,
                root_ts, null, null, null, root_user
            from replies
            union all
            select {b} + 90000000 + k, ch.channel_id, e || '.000000', null, e, a.slack_user_id, null, 'channel_join',
                '<@' || a.slack_user_id || '> has joined the channel', null, null, null, null, null
            from (select k, a.*, greatest(a.act_lo, {lo}) as e from range({n_joins}) as r(k)
                  join sl as a on a.r = k % {sl}) as a
            join world.channels as ch on ch.channel_idx = skew({b} + k, 'channel', {channels}, 2)
        )
        select channel_id, ts, coalesce(thread_ts, root_thread_ts), coalesce(user_id, bot_id), ts_of(e),
            json_merge_patch('{{}}', to_json({{'client_msg_id': case when bot_id is null then md5('m' || gid) end,
                'type': 'message', 'subtype': subtype, 'text': text, 'user': user_id, 'bot_id': bot_id,
                'username': case when bot_id is not null then 'deploybot' end, 'ts': ts, 'team': 'T0BENCH',
                'thread_ts': coalesce(thread_ts, root_thread_ts), 'parent_user_id': parent_user_id,
                'reply_count': replies, 'reply_users_count': repliers, 'latest_reply': latest,
                'reactions': case when u(gid, 'reacted') < 0.2 then [{{'name': pick(['+1', 'tada', 'eyes', 'heart'], gid, 'emoji'),
                    'users': [coalesce(user_id, bot_id)], 'count': 1 + skew(gid, 'reactions', 6, 2)}}] end}})),
            'slack:bench', 'bench-{batch}', ts_of({hi + 3600})
        from messages
        qualify row_number() over (partition by channel_id, ts order by gid) = 1;
    """)
    if batch != 1:
        edits = max(1, round(n * 0.05))  # older messages edited since: changed rows, not new ones
        con.execute(f"""
            insert or replace into raw_slack.messages
            select channel_id, ts, thread_ts, user_id, ts_of(edit_e),
                json_merge_patch(payload, json_object('text', json_extract_string(payload, '$.text') || ' (edited)',
                    'edited', json_object('user', user_id, 'ts', edit_e || '.000000'))),
                _source, 'bench-{batch}', ts_of({hi + 3600})
            from (select *, {lo} + floor(u(ts, 'edit_at') * {hi - lo})::bigint as edit_e from raw_slack.messages
                  where _batch_id <> 'bench-{batch}' and json_extract_string(payload, '$.subtype') is null
                  order by hash(hash(channel_id, ts, 'edit')) limit {edits})
        """)


def add_sentiment(con: duckdb.DuckDBPyConnection) -> int:
    """Stand-in scores for ml.sentiment (activities with text not scored yet): VADER-like spread."""
    ensure_ml_table(con, SENTIMENT)
    before = con.execute("select count(*) from ml.sentiment").fetchone()[0]
    con.execute("""
        insert into ml.sentiment
        select activity_id, compound,
            case when compound >= 0.05 then 'positive' when compound <= -0.05 then 'negative' else 'neutral' end,
            'bench-random', current_timestamp at time zone 'UTC'
        from (
            select activity_id, round(tanh((u(activity_id, 'mood') - 0.35) * 3), 4) as compound
            from marts.fct_activities as a
            where text is not null and trim(text) <> ''
                and not exists (select 1 from ml.sentiment as s where s.activity_id = a.activity_id)
        )
    """)
    return con.execute("select count(*) from ml.sentiment").fetchone()[0] - before
