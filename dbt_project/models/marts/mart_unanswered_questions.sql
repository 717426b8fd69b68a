-- every question no other human answered within var('unanswered_after_days') days: listed, never dropped
with responsiveness as (

    select * from {{ ref('mart_responsiveness') }}

),

activities as (

    select * from {{ ref('fct_activities') }}

),

as_of as (

    select max(occurred_at) as as_of_at from activities

),

final as (

    select
        questions.item_id as question_id,
        questions.created_at as asked_at,
        questions.platform,
        questions.container,
        questions.url,
        questions.item_kind,
        questions.author_person_id as asker_person_id,
        activities.text,
        questions.has_reaction,
        questions.first_response_at,
        questions.first_response_at is null as is_still_unanswered,
        {{ hours_between('questions.created_at', 'coalesce(questions.first_response_at, as_of.as_of_at)') }} as hours_open
    from responsiveness as questions
    cross join as_of
    inner join activities on activities.activity_id = questions.item_id
    where questions.is_question and questions.is_unanswered and not questions.is_bot_author

)

select * from final
