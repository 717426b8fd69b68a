-- every ISO week from the first to the last activity, empty weeks included
with activities as (

    select * from {{ ref('fct_activities') }}

),

bounds as (

    select
        cast({{ dbt.date_trunc('week', 'min(occurred_at)') }} as date) as first_week,
        cast({{ dbt.date_trunc('week', 'max(occurred_at)') }} as date) as last_week
    from activities

),

weeks as (

    {{ period_spine('week', 'bounds', 'first_week', 'last_week') }}

),

final as (

    select
        period_start as week_start,
        cast({{ dbt.dateadd('day', 7, 'period_start') }} as date) as week_end,
        {{ iso_week_label('period_start') }} as iso_week
    from weeks

)

select * from final
