{#- Change tracking for the period-incremental marts (issue 4: a refresh must not rebuild history).

    fct_activities stamps each row with `changed_at`, the start of the dbt run that last changed
    its facts (anything but its text and url: an edit of an old message does not move a single
    count). Each incremental mart remembers, in meta.mart_watermarks, how far it has read those
    stamps (`changes_through`) and, for the after_ml marts, ml.sentiment's `scored_at`
    (`scores_through`). On a refresh a mart recomputes only from the earliest day touched since
    then, using the `recompute` strategy below. An activity's occurred_at never changes (it is the
    platform's own event time, and the activity id is derived from the event), so the new stamp's
    day also covers where the activity was before a re-attribution moved it to another person.
-#}

{#- on-run-start: the bookkeeping table (in meta, beside the ingest cursors). -#}
{% macro create_mart_watermarks() -%}
    create schema if not exists meta;
    create table if not exists meta.mart_watermarks (
        model varchar primary key,
        changes_through timestamp,
        scores_through timestamp,
        updated_at timestamp
    );
    {{ create_fct_known_identities() }};
    create table if not exists meta.mart_responsiveness_replaced (
        thread_id varchar,
        item_id varchar,
        first_response_at timestamp,
        responder_person_id varchar,
        replaced_at timestamp
    )
{%- endmacro %}

{#- The start of this dbt invocation as a naive UTC timestamp literal: fct_activities.changed_at. -#}
{% macro run_started_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- How far this model has read a stamp ('changes_through' or 'scores_through'); 1900 when never. -#}
{% macro mart_watermark(column='changes_through') -%}
    coalesce(
        (select {{ column }} from meta.mart_watermarks where model = '{{ this.identifier }}'),
        cast('1900-01-01' as timestamp)
    )
{%- endmacro %}

{#- Scalar subquery: the earliest UTC day of an activity whose facts changed, or that
    fct_activities removed (meta.fct_activities_removed), since this model last ran (null when
    none did). exclude_moved=true leaves out the activities of `moved_people`: for a mart whose
    rows of a person depend on that person's activities alone, which recomputes those people
    whole (config recompute_moved=true) instead of every day since their oldest moved activity. -#}
{% macro mart_changes_from(exclude_moved=false) -%}
    (
        select min(changed_day) from (
            select min(cast(changed.occurred_at as date)) as changed_day
            from {{ ref('fct_activities') }} as changed
            where changed.changed_at > {{ mart_watermark('changes_through') }}
            {%- if exclude_moved %}
                and changed.person_id not in {{ moved_people() }}
            {%- endif %}
            union all
            select min(cast(removed.occurred_at as date))
            from {{ fct_removed_activities() }} as removed
            where removed.removed_at > {{ mart_watermark('changes_through') }}
            {%- if exclude_moved %}
                and removed.person_id not in {{ moved_people() }}
            {%- endif %}
        ) as changes
    )
{%- endmacro %}

{#- Subquery: the people on either side of an account that identity resolution moved (a merge, a
    split, a bot flag) since this model last ran (meta.fct_identity_changes): the people whose set
    of activities changed without the activities changing. -#}
{% macro moved_people() -%}
    (
        select moved.previous_person_id from {{ fct_identity_changes() }} as moved
        where moved.changed_at > {{ mart_watermark('changes_through') }} and moved.previous_person_id is not null
        union
        select moved.person_id from {{ fct_identity_changes() }} as moved
        where moved.changed_at > {{ mart_watermark('changes_through') }} and moved.person_id is not null
    )
{%- endmacro %}

{#- Scalar subquery: the earliest UTC day of an activity (re)scored in ml.sentiment since this
    model last ran (null when none was). after_ml models only. -#}
{% macro mart_rescores_from() -%}
    (
        select min(cast(scored.occurred_at as date))
        from {{ source('ml', 'sentiment') }} as sentiment
        inner join {{ ref('fct_activities') }} as scored on scored.activity_id = sentiment.activity_id
        where sentiment.scored_at > {{ mart_watermark('scores_through') }}
    )
{%- endmacro %}

{#- Post-hook of every model that reads mart_changes_from/mart_rescores_from: what it has now
    read. Runs inside the model's transaction, so a failed build keeps the old watermark and the
    next refresh recomputes the same days again. -#}
{% macro record_mart_watermark(scores=false) -%}
    delete from meta.mart_watermarks where model = '{{ this.identifier }}';
    insert into meta.mart_watermarks (model, changes_through, scores_through, updated_at)
    select
        '{{ this.identifier }}',
        (select max(stamp) from (
            select max(changed_at) as stamp from {{ ref('fct_activities') }}
            union all
            select max(removed_at) from {{ fct_removed_activities() }}
        ) as stamps),
        {% if scores -%}
        (select max(scored_at) from {{ source('ml', 'sentiment') }}),
        {%- else -%}
        cast(null as timestamp),
        {%- endif %}
        {{ run_started_timestamp() }}
{%- endmacro %}

{#- incremental_strategy='recompute': replace what the model recomputed, including rows that no
    longer exist. In incremental mode the model emits one extra column, `_recompute`:
      'range'  - the row lies in the recomputed range: every existing row whose `recompute_range`
                 column is >= the smallest such value among the 'range' rows is replaced;
      'entity' - the row belongs to an entity recomputed over its whole history (e.g. a person
                 whose time zone changed): every existing row of that `recompute_entity` value is
                 replaced.
    A model emits each of its rows once. The column exists only in the refresh's temporary table:
    the insert takes the target's columns. Config: recompute_range (required), recompute_entity
    (optional), recompute_moved (optional, with recompute_entity = the person column: every row of
    `moved_people` is replaced too, so a person a split or merge left without rows loses them).
    Delete + insert run in one transaction. -#}
{% macro get_incremental_recompute_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set range_column = config.require('recompute_range') -%}
    {%- set entity_column = config.get('recompute_entity') -%}
    {%- set dest_cols_csv = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ range_column }} >= (select min({{ range_column }}) from {{ source }} where _recompute = 'range')
    {%- if entity_column %}
        or {{ entity_column }} in (select {{ entity_column }} from {{ source }} where _recompute = 'entity')
    {%- endif %}
    {%- if config.get('recompute_moved') %}
        or {{ entity_column }} in {{ moved_people() }}
    {%- endif %};

    insert into {{ target }} ({{ dest_cols_csv }})
    select {{ dest_cols_csv }} from {{ source }}
{%- endmacro %}

{#- The `_recompute` column exists only in the refresh's temporary table, so it is no schema
    change (on_schema_change='fail' would refuse every refresh) and not a destination column
    (the recompute strategy inserts the target's columns). Other columns are compared as dbt
    does. -#}
{% macro duckdb__check_for_schema_changes(source_relation, target_relation) -%}
    {%- set changes = default__check_for_schema_changes(source_relation, target_relation) -%}
    {%- set source_columns = changes['source_columns'] | rejectattr('name', 'equalto', '_recompute') | list -%}
    {%- set source_not_in_target = changes['source_not_in_target'] | rejectattr('name', 'equalto', '_recompute') | list -%}
    {%- do changes.update({
        'source_columns': source_columns,
        'source_not_in_target': source_not_in_target,
        'schema_changed': source_not_in_target != [] or changes['target_not_in_source'] != []
            or changes['new_target_types'] != [],
    }) -%}
    {{ return(changes) }}
{%- endmacro %}
