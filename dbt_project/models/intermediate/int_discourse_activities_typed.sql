-- Discourse posts -> `topic` (post_number 1, the topic's opening post) and `post` (every other
-- regular post; parent = the post it replies to, else the opening post). Moderator actions,
-- small actions, whispers and deleted posts are not activities.
{%- set discourse_url = var('discourse_url', '') | trim | replace("'", '') %}
with posts as (

    select * from {{ ref('stg_discourse__posts') }}
    where post_type = 1 and not is_deleted

),

topics as (

    select * from {{ ref('stg_discourse__topics') }}

),

categories as (

    select * from {{ ref('stg_discourse__categories') }}

),

final as (

    select
        'discourse:' || cast(posts.post_id as {{ dbt.type_string() }}) as activity_id,
        'discourse' as platform,
        cast(posts.user_id as {{ dbt.type_string() }}) as account_id,
        case when posts.post_number = 1 then 'topic' else 'post' end as activity_type,
        posts.created_at as occurred_at,
        coalesce(categories.category_name, 'uncategorized') as container,
        'discourse:topic:' || cast(posts.topic_id as {{ dbt.type_string() }}) as thread_id,
        case when posts.post_number > 1 then 'discourse:' || cast(coalesce(replied.post_id, opening.post_id) as {{ dbt.type_string() }}) end as parent_id,
        posts.post_number = 1 and {{ is_question('topics.title') }} as is_question,
        case
            when posts.post_number = 1 then coalesce(topics.title || chr(10) || chr(10), '') || coalesce(posts.text, '')
            else posts.text
        end as text,
        {% if discourse_url -%}
        '{{ discourse_url.rstrip('/') }}' || coalesce(posts.post_path, '/t/' || cast(posts.topic_id as {{ dbt.type_string() }}) || '/' || cast(posts.post_number as {{ dbt.type_string() }})) as url,
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as url,
        {%- endif %}
        cast(null as {{ dbt.type_string() }}) as target_account_id,
        'discourse' as origin,
        false as is_coauthor
    from posts
    left join topics on topics.topic_id = posts.topic_id
    left join categories on categories.category_id = topics.category_id
    left join posts as opening on opening.topic_id = posts.topic_id and opening.post_number = 1
    left join posts as replied on replied.topic_id = posts.topic_id and replied.post_number = posts.reply_to_post_number
    where posts.user_id is not null

)

select * from final
