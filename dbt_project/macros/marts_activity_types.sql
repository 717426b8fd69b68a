{#- Activity-type lists the marts share (docs/CONTRACTS.md activity types), as SQL literal
    lists for `in (...)`. A new platform adds its types here, in one place. -#}

{#- A reply, comment, review or forum post: what answers an issue, pull request, forum topic or
    chat question. -#}
{% macro response_activity_types() -%}
    ('issue_comment', 'pr_review', 'pr_review_comment', 'reply', 'post')
{%- endmacro %}

{#- Closing an issue or pull request (merged or not). -#}
{% macro close_activity_types() -%}
    ('issue_closed', 'pr_closed', 'pr_merged')
{%- endmacro %}

{#- Activities whose text is not conversation (commit messages, release notes, state changes):
    left out of sentiment. -#}
{% macro non_conversation_activity_types() -%}
    ('push', 'commit', 'release', 'star', 'fork', 'issue_closed', 'pr_closed', 'pr_merged')
{%- endmacro %}
