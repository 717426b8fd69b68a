"""Knowledge & content: the FAQ with its sources, documentation gaps, the week's summary, drafts."""

from __future__ import annotations

import streamlit as st

from apps.streamlit import queries, ui


def faq(data) -> None:
    st.subheader("Frequently asked questions")
    if "ml.faq" in data.absent_ml:
        st.info(
            "No FAQ yet: ml.faq has not been built "
            "(it comes with the FAQ builder in `codeconvene build`)."
        )
        return
    if ui.empty_state(data.faq, "The FAQ is empty."):
        return
    for entry in data.faq.iter_rows(named=True):
        with st.expander(f"{entry['question']} (asked {entry['frequency'] or 0}×)"):
            st.markdown(entry["answer"] or "")
            sources = data.faq_sources.filter(data.faq_sources["faq_id"] == entry["faq_id"])
            if sources.height:
                st.caption("Sources")
                ui.table(sources.drop("faq_id"))


def gaps(data) -> None:
    st.subheader("Documentation gaps")
    st.caption(
        "Unanswered questions (answered late or never) grouped by the words they share: "
        "topics people keep asking about without a quick answer."
    )
    ui.scope("date range, platform, repository/channel")
    if ui.empty_state(data.gaps, "No repeated topic among the unanswered questions in this range."):
        return
    ui.table(data.gaps.drop("urls"), links=())


def summary_and_drafts(data) -> None:
    st.subheader("This week's summary")
    if data.summary is None:
        st.info("No weekly summary yet (ml.summaries): `codeconvene build` writes one per week.")
    else:
        st.caption(f"{data.summary['period']} · {data.summary['model']}")
        st.markdown(data.summary["text"])
    st.subheader("Drafts ready to copy")
    if not ui.empty_state(data.drafts, "No drafts for this period (ml.drafts)."):
        for draft in data.drafts.iter_rows(named=True):
            with st.expander(f"{draft['kind'].replace('_', ' ')}: {draft['title']}"):
                st.code(draft["body"], language="markdown", wrap_lines=True)
    if data.welcomes.height:
        st.subheader("Welcome messages")
        for welcome in data.welcomes.iter_rows(named=True):
            with st.expander(f"{welcome['display_name']} ({welcome['platform']})"):
                st.code(welcome["message"], language="markdown", wrap_lines=True)


def main() -> None:
    if not ui.start_page(
        "Knowledge & content", "What people ask, what the docs miss, what to post."
    ):
        return
    data = ui.load_or_warn(queries.knowledge.knowledge, ui.filters())
    if data is None or ui.show_missing(data.missing):
        return
    left, right = st.columns(2)
    with left:
        faq(data)
        gaps(data)
    with right:
        summary_and_drafts(data)


main()
