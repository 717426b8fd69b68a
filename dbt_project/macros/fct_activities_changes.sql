{#- What fct_activities needs to read only activities that can have changed (issue 4).

    A refresh of fct_activities reads the int_activities_unioned rows revised since it last ran
    (its run start is kept in meta.mart_watermarks.updated_at) plus every activity of an account
    whose person or bot flag changed since then. To see the latter without reading the whole
    table it keeps the account -> (person_id, is_bot) map it last applied in
    meta.fct_activities_identities (a few thousand rows: one per account), rewritten by its
    post-hook inside the model's transaction, so a failed build leaves the old map and the next
    refresh compares against it again.

    Accounts the map moves to another person (or whose bot flag flips) are logged, with the
    person they had, in meta.fct_identity_changes by the same post-hook before it rewrites the
    map: a per-person mart can then recompute just the people on either side of a merge or a
    split (`moved_people`, macros/incremental_marts.sql) instead of every day since the oldest
    re-attributed activity, which for a long-time contributor is the whole history.

    Activities that vanish upstream (their post-hook deletion) leave no row to stamp, so the
    post-hook first logs them in meta.fct_activities_removed (id, thread, person, time and the
    run that removed them): marts that recompute threads or activities read it beside the
    stamps (macros/thread_marts.sql).
-#}

{#- Activities fct_activities removed, with the run that removed them (unit tests override it). -#}
{% macro fct_removed_activities() -%}
    meta.fct_activities_removed
{%- endmacro %}

{#- Accounts re-attributed by fct_activities, with the run that did it (unit tests override it). -#}
{% macro fct_identity_changes() -%}
    meta.fct_identity_changes
{%- endmacro %}

{#- The map fct_activities last applied (a relation; unit tests override it with a values list). -#}
{% macro fct_known_identities() -%}
    meta.fct_activities_identities
{%- endmacro %}

{#- Accounts whose person or bot flag is not the one fct_activities last applied (or new ones). -#}
{% macro fct_changed_accounts() -%}
    select identities.platform, identities.account_id
    from {{ ref('int_identities_resolved') }} as identities
    left join {{ fct_known_identities() }} as known
        on known.platform = identities.platform
        and known.account_id = identities.account_id
    where known.account_id is null
        or known.person_id is distinct from identities.person_id
        or known.is_bot is distinct from identities.is_bot
{%- endmacro %}

{#- pre-hook: the map's table (empty the first time: every account then counts as changed) and
    the removal log. -#}
{% macro create_fct_known_identities() -%}
    create schema if not exists meta;
    create table if not exists meta.fct_activities_identities (
        platform varchar,
        account_id varchar,
        person_id varchar,
        is_bot boolean
    );
    create table if not exists meta.fct_identity_changes (
        platform varchar,
        account_id varchar,
        previous_person_id varchar,
        person_id varchar,
        changed_at timestamp,
        previous_is_bot boolean,
        is_bot boolean
    );
    -- (a log made before it kept the bot flags gains them; its older rows say null)
    alter table meta.fct_identity_changes add column if not exists previous_is_bot boolean;
    alter table meta.fct_identity_changes add column if not exists is_bot boolean;
    create table if not exists meta.fct_activities_removed (
        activity_id varchar,
        thread_id varchar,
        person_id varchar,
        occurred_at timestamp,
        removed_at timestamp
    )
{%- endmacro %}

{#- post-hook: delete (and log) the activities gone from int_activities_unioned, e.g. when typing
    rules change their ids, so a full refresh gives the same rows. -#}
{% macro remove_vanished_activities() -%}
    insert into meta.fct_activities_removed (activity_id, thread_id, person_id, occurred_at, removed_at)
    select activity_id, thread_id, person_id, occurred_at, {{ run_started_timestamp() }}
    from {{ this }} as held
    where not exists (
        select 1 from {{ ref('int_activities_unioned') }} as current_activities
        where current_activities.activity_id = held.activity_id
    );
    delete from {{ this }}
    where activity_id in (
        select activity_id from meta.fct_activities_removed
        where removed_at = {{ run_started_timestamp() }}
    )
{%- endmacro %}

{#- post-hook: the accounts it moved (known before, now another person or bot flag), the map
    just applied, and this run's start as fct_activities' read watermark. -#}
{% macro record_fct_known_identities() -%}
    insert into meta.fct_identity_changes (platform, account_id, previous_person_id, person_id, changed_at,
                                           previous_is_bot, is_bot)
    select known.platform, known.account_id, known.person_id, identities.person_id, {{ run_started_timestamp() }},
        known.is_bot, identities.is_bot
    from meta.fct_activities_identities as known
    inner join {{ ref('int_identities_resolved') }} as identities
        on identities.platform = known.platform
        and identities.account_id = known.account_id
    where known.person_id is distinct from identities.person_id
        or known.is_bot is distinct from identities.is_bot;
    delete from meta.fct_activities_identities;
    insert into meta.fct_activities_identities (platform, account_id, person_id, is_bot)
    select platform, account_id, person_id, is_bot from {{ ref('int_identities_resolved') }};
    delete from meta.mart_watermarks where model = '{{ this.identifier }}';
    insert into meta.mart_watermarks (model, changes_through, scores_through, updated_at)
    values ('{{ this.identifier }}', null, null, {{ run_started_timestamp() }})
{%- endmacro %}
