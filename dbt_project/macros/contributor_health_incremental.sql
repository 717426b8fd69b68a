{#- What a refresh of the period-incremental contributor-health chain recomputes (issue 4; the
    mechanism is macros/incremental_marts.sql).

    Three things can change old rows of the chain:
      - facts of fct_activities (and, after_ml, sentiment scores): every week whose trailing
        window holds a changed local day, i.e. from the week of the earliest changed UTC day
        minus one day (a local day can start up to 12 hours before the UTC one) on: 'range';
      - a person's inferred time zone (the modal-hour heuristic moves when activity arrives),
        which shifts all their local days: those people are recomputed whole, 'entity' rows
        (mart_contributor_health__timezones.changed_at says when an offset last changed; a
        model's own last run is its watermark's updated_at);
      - the community's backlog growth flag of an old week (an item closed again later counts
        as open until its last close): from the earliest week whose flag changed
        (mart_contributor_health__backlog.changed_at).
    Display names and maintainer flags are compared with what the table holds (they change
    without any stamp), see contributor_attributes_changed.

    A merge or split by identity resolution moves a person's old activities without changing
    them. Every model of the chain recomputes the people on either side whole (`moved_people`,
    config recompute_moved) and leaves their activities out of the range.
    The one cross-person input is the share of everyone's first responses: a move changes other
    people's rows only where it changed which reply first answered an item (a reply by the
    item's author does not count, so a merge or split can turn one into or out of a first
    response). mart_responsiveness logs the first responses it replaces
    (meta.mart_responsiveness_replaced), and the models from mart_contributor_health__responses
    on (responses=true) also recompute from the earliest first response that changed otherwise
    than by such a relabelling (health_responses_changed_from).
-#}

{#- The earliest changed UTC day this model has not seen (facts of anyone but the moved people,
    and with scores=true also sentiment scores); null when nothing changed. -#}
{% macro health_changes_from(scores=false) -%}
    {%- if scores -%}
    least({{ mart_changes_from(exclude_moved=true) }}, {{ mart_rescores_from() }})
    {%- else -%}
    {{ mart_changes_from(exclude_moved=true) }}
    {%- endif -%}
{%- endmacro %}

{#- The first ISO week whose rows a refresh recomputes, as a date literal (null when none):
    queried once when the model runs, so the model's filters compare with a constant (and
    DuckDB skips row groups). backlog=true also covers weeks whose backlog flag changed. -#}
{% macro health_recompute_week(scores=false, backlog=false, responses=false) -%}
    {%- set changed_from -%}
    {%- if responses -%}
    least({{ health_changes_from(scores) }}, cast({{ health_responses_changed_from() }} as date))
    {%- else -%}
    {{ health_changes_from(scores) }}
    {%- endif -%}
    {%- endset -%}
    {%- set changed_week -%}
    cast({{ dbt.date_trunc('week', dbt.dateadd('day', -1, changed_from)) }} as date)
    {%- endset -%}
    {%- set expression -%}
    {%- if backlog -%}
    least({{ changed_week }}, (
        select min(backlog_changes.week_start)
        from {{ ref('mart_contributor_health__backlog') }} as backlog_changes
        where backlog_changes.changed_at > {{ mart_watermark('updated_at') }}
    ))
    {%- else -%}
    {{ changed_week }}
    {%- endif -%}
    {%- endset -%}
    {{ health_date_literal(expression) }}
{%- endmacro %}

{#- Scalar subquery: the earliest time (old or new) of a first response that changed since this
    model last ran otherwise than by an identity move relabelling its responder (both the old
    and the new responder among `moved_people`): compares the version of each item of a touched
    thread that mart_responsiveness replaced first since then with the item now (an item new
    since then compares with nothing, a removed one with nothing now). Null when none. -#}
{% macro health_responses_changed_from() -%}
    (
        select min(case when before.first_response_at is null then now_items.first_response_at
                        when now_items.first_response_at is null then before.first_response_at
                        else least(before.first_response_at, now_items.first_response_at) end)
        from (
            select item_id, first_response_at, responder_person_id
            from (
                select replaced.*, row_number() over (partition by replaced.item_id order by replaced.replaced_at) as version
                from meta.mart_responsiveness_replaced as replaced
                where replaced.replaced_at > {{ mart_watermark('updated_at') }} and replaced.item_id is not null
            ) as versions
            where version = 1
        ) as before
        full outer join (
            select item_id, first_response_at, responder_person_id
            from {{ ref('mart_responsiveness') }}
            where thread_id in (
                select touched.thread_id from meta.mart_responsiveness_replaced as touched
                where touched.replaced_at > {{ mart_watermark('updated_at') }}
            )
        ) as now_items on now_items.item_id = before.item_id
        where before.first_response_at is distinct from now_items.first_response_at
            or (before.responder_person_id is distinct from now_items.responder_person_id
                and not (before.responder_person_id in {{ moved_people() }}
                         and now_items.responder_person_id in {{ moved_people() }}))
    )
{%- endmacro %}

{#- The day before the earliest changed UTC day (the first local day that can change), as a
    date literal (null when none). -#}
{% macro health_recompute_day(scores=false) -%}
    {{ health_date_literal('cast(' ~ dbt.dateadd('day', -1, health_changes_from(scores)) ~ ' as date)') }}
{%- endmacro %}

{#- Runs a scalar date expression when an incremental model executes and returns it as a
    literal; otherwise (parsing, full builds) a null date. -#}
{% macro health_date_literal(expression) -%}
    {%- set value = none -%}
    {%- if execute and is_incremental() -%}
        {%- set value = run_query('select ' ~ expression).columns[0].values()[0] -%}
    {%- endif -%}
    {%- if value is none -%}
    cast(null as date)
    {%- else -%}
    cast('{{ value }}' as date)
    {%- endif -%}
{%- endmacro %}

{#- Subquery: the people whose time zone changed since this model last ran. -#}
{% macro health_timezone_changed_people() -%}
    (
        select timezone_changes.person_id
        from {{ ref('mart_contributor_health__timezones') }} as timezone_changes
        where timezone_changes.changed_at > {{ mart_watermark('updated_at') }}
    )
{%- endmacro %}

{#- Subquery: the people whose name or maintainer flag in dim_contributors differs from the one
    this table holds. -#}
{% macro contributor_attributes_changed() -%}
    (
        select distinct stored.person_id
        from {{ this }} as stored
        left join {{ ref('dim_contributors') }} as current_contributors
            on current_contributors.person_id = stored.person_id
        where stored.display_name is distinct from current_contributors.display_name
            or stored.is_maintainer is distinct from current_contributors.is_maintainer
    )
{%- endmacro %}

{#- The people a refresh recomputes whole ('entity' rows): the `moved_people`, those whose time
    zone changed, and with attributes=true those whose name or maintainer flag changed. Queried
    once when the
    model runs (run it once per model, then render conditions with health_people_condition):
    a list, or none when there are too many to list (the condition is then the subquery). -#}
{% macro health_recomputed_people(attributes=false) -%}
    {%- set people = [] -%}
    {%- if execute and is_incremental() -%}
        {%- set people = run_query(health_recomputed_people_query(attributes)).columns[0].values() | list -%}
    {%- endif -%}
    {{ return(people if people | length <= 1000 else none) }}
{%- endmacro %}

{% macro health_recomputed_people_query(attributes=false) -%}
    select person_id from {{ health_timezone_changed_people() }} as timezone_changed
    {%- if attributes and execute and is_incremental() %}
    union select person_id from {{ contributor_attributes_changed() }} as attributes_changed
    {%- endif %}
    union select previous_person_id from {{ moved_people() }} as moved
{%- endmacro %}

{#- A condition on `column` that holds for those people: `false` when there are none. -#}
{% macro health_people_condition(people, column='person_id', attributes=false) -%}
    {%- if people is none -%}
    {{ column }} in ({{ health_recomputed_people_query(attributes) }})
    {%- elif people | length == 0 -%}
    false
    {%- else -%}
    {{ column }} in ({%- for person in people %}'{{ person | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%})
    {%- endif -%}
{%- endmacro %}

{#- For the small per-key tables that say when a value last changed (time zones, backlog flags):
    whether the table as it stands before this build has the stamp to keep (not on a first build,
    nor in unit tests). Rebuilt as a table every run, reading that previous table. -#}
{% macro health_has_previous_stamp() -%}
    {%- set relation = load_relation(this) if execute and this is not none else none -%}
    {{ return(relation is not none
        and 'changed_at' in (adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list)) }}
{%- endmacro %}

{#- The stamp of a row (current_values, joined to the previous table as `previous` on its key):
    the previous one when its compared values are the same, else this run's start. -#}
{% macro changed_at_since_previous(has_previous, compared) -%}
    {%- if has_previous -%}
    case
        when previous.changed_at is not null
            {%- for column in compared %}
            and previous.{{ column }} is not distinct from current_values.{{ column }}
            {%- endfor %}
            then previous.changed_at
        else {{ run_started_timestamp() }}
    end
    {%- else -%}
    {{ run_started_timestamp() }}
    {%- endif -%}
{%- endmacro %}

{#- The left join that goes with changed_at_since_previous (nothing without a previous table). -#}
{% macro join_previous(has_previous, key) -%}
    {%- if has_previous -%}
    left join {{ this }} as previous on previous.{{ key }} = current_values.{{ key }}
    {%- endif -%}
{%- endmacro %}
