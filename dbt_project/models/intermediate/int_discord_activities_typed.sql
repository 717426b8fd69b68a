-- Discord messages -> `message` (top level) and `reply` (has reference.messageId, or sits in a
-- thread it did not start). A thread's id is its starter message's id, so the conversation of a
-- reply is its thread, else the root of its reply chain (followed up to {{ var('discord_reply_hops', 8) }} hops).
{%- set hops = var('discord_reply_hops', 8) %}
with messages as (

    select * from {{ ref('stg_discord__messages') }}

),

channels as (

    select * from {{ ref('stg_discord__channels') }}

),

conversational as (

    select
        messages.*,
        channels.guild_id,
        coalesce(parents.channel_name, channels.channel_name, messages.channel_id) as container,
        coalesce(messages.thread_id, case when channels.is_thread then messages.channel_id end) as in_thread_id
    from messages
    left join channels on channels.channel_id = messages.channel_id
    left join channels as parents on parents.channel_id = channels.parent_channel_id
    where messages.message_type in ('Default', 'Reply', '0', '19') and messages.author_id is not null

),

rooted as (

    select
        hop0.*,
        coalesce(
            {%- for hop in range(hops, 0, -1) %}
            hop{{ hop - 1 }}.reference_message_id,
            {%- endfor %}
            hop0.message_id
        ) as root_message_id
    from conversational as hop0
    {%- for hop in range(1, hops) %}
    left join messages as hop{{ hop }} on hop{{ hop }}.message_id = hop{{ hop - 1 }}.reference_message_id
    {%- endfor %}

),

final as (

    select
        'discord:' || message_id as activity_id,
        'discord' as platform,
        author_id as account_id,
        case
            when reference_message_id is not null or message_id <> coalesce(in_thread_id, message_id) then 'reply'
            else 'message'
        end as activity_type,
        posted_at as occurred_at,
        container,
        'discord:' || coalesce(in_thread_id, root_message_id) as thread_id,
        'discord:' || coalesce(reference_message_id, case when message_id <> in_thread_id then in_thread_id end) as parent_id,
        reference_message_id is null and message_id = coalesce(in_thread_id, message_id) and {{ is_question('text') }} as is_question,
        text,
        case when guild_id is not null then 'https://discord.com/channels/' || guild_id || '/' || channel_id || '/' || message_id end as url,
        cast(null as {{ dbt.type_string() }}) as target_account_id,
        'discord' as origin,
        false as is_coauthor
    from rooted

)

select * from final
