"""The knowledge layer: FAQ, the LanceDB search index and issue triage, with their checks.

Ordered faq → documents_index → issue_triage: the index holds the FAQ entries, and the three
share one embedding cache and one warehouse file, so running them one after another keeps a
single writer at a time.
"""

import json

import dagster as dg

from bots.answer.interactions import flush_pending
from codeconvene.warehouse import reader, writer
from ml.docs import docs_documents, docs_source
from ml.faq import FaqOptions, build_faq
from ml.index import document_ids, sync_documents
from ml.llm.select import select_provider
from ml.triage import TriageOptions, triage_issues
from orchestration.resources import CodeConveneResource

FCT = ["marts", "fct_activities"]
DIM = ["marts", "dim_contributors"]


@dg.asset(key=["ml", "faq"], deps=[FCT, DIM], group_name="ml", kinds={"duckdb", "python"})
def faq(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """One row per question asked again and again (any platform), with its best answer."""
    settings = codeconvene.settings()
    with writer(settings.warehouse_path) as con:
        # bots answering on a read-only connection spool their exchanges; land them here
        flushed = flush_pending(con)
        counts = build_faq(con, settings.lance_path, select_provider(settings, con),
                           FaqOptions.from_config(settings.config.get("faq")))
    return dg.MaterializeResult(metadata={**counts, "bot_interactions_landed": flushed})


@dg.asset(key=["lance", "documents"], deps=[FCT, ["ml", "faq"]], group_name="ml",
          kinds={"lancedb", "python"})
def documents_index(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """One vector per message, issue, topic, FAQ entry and docs section; only new text embedded."""
    settings = codeconvene.settings()
    docs = docs_documents(docs_source(settings.config))
    with writer(settings.warehouse_path) as con:
        counts = sync_documents(con, settings.lance_path, extra=docs)
    return dg.MaterializeResult(metadata={**counts.as_metadata(), "docs_chunks": len(docs)})


@dg.asset(key=["ml", "issue_triage"], deps=[FCT, DIM, ["lance", "documents"]], group_name="ml",
          kinds={"duckdb", "python"})
def issue_triage(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """One row per open issue: type, priority, labels, duplicate candidate, who could answer."""
    settings = codeconvene.settings()
    with writer(settings.warehouse_path) as con:
        counts = triage_issues(con, settings.lance_path, select_provider(settings, con),
                               TriageOptions.from_config(settings.config.get("triage")))
    return dg.MaterializeResult(metadata=counts)


@dg.asset_check(asset=faq, description="Every FAQ entry cites at least one existing activity.")
def faq_cites_existing_activities(codeconvene: CodeConveneResource) -> dg.AssetCheckResult:
    with reader(codeconvene.settings().warehouse_path) as con:
        rows = con.execute("select faq_id, source_activity_ids from ml.faq").fetchall()
        known = {r[0] for r in con.execute("select activity_id from marts.fct_activities").fetchall()}
    uncited = [faq_id for faq_id, ids in rows if not known.intersection(json.loads(ids))]
    return dg.AssetCheckResult(passed=not uncited, metadata={"entries": len(rows),
                                                             "uncited": uncited[:20]})


@dg.asset_check(asset=issue_triage, description="duplicate_of names another existing issue.")
def triage_duplicates_exist(codeconvene: CodeConveneResource) -> dg.AssetCheckResult:
    with reader(codeconvene.settings().warehouse_path) as con:
        dangling = con.execute(
            """
            select t.issue_id, t.duplicate_of from ml.issue_triage as t
            where t.duplicate_of is not null and (t.duplicate_of = t.issue_id or not exists (
                select 1 from marts.fct_activities as a
                where a.activity_type = 'issue_opened' and a.thread_id = t.duplicate_of))
            """
        ).fetchall()
    return dg.AssetCheckResult(passed=not dangling, metadata={"dangling": [list(r) for r in dangling[:20]]})


@dg.asset_check(asset=documents_index, description="Every answered FAQ entry is searchable.")
def index_holds_faq(codeconvene: CodeConveneResource) -> dg.AssetCheckResult:
    settings = codeconvene.settings()
    with reader(settings.warehouse_path) as con:
        answered = {r[0] for r in con.execute("select faq_id from ml.faq where answer is not null").fetchall()}
    missing = sorted(answered - document_ids(settings.lance_path, kind="faq"))
    return dg.AssetCheckResult(passed=not missing, metadata={"answered": len(answered),
                                                             "missing": missing[:20]})


knowledge_assets = [faq, documents_index, issue_triage]
knowledge_checks = [faq_cites_existing_activities, index_holds_faq, triage_duplicates_exist]
