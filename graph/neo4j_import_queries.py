"""The query files that page every node and relationship out of a store for the
neo4j-admin import CSVs (:mod:`conductgraph.graph.neo4j_import`).

Named one by one, so each file in ``cypher/export/`` is visibly used; a test checks that
every label and relationship type of the schema has its query here.
"""

from __future__ import annotations

#: The highest internal node id: where the id windows end.
MAX_ID_QUERY = "export/max_node_id"

#: Label -> query reading its nodes in one window of internal ids.
NODE_QUERIES: dict[str, str] = {
    "Person": "export/nodes_Person",
    "Account": "export/nodes_Account",
    "Organisation": "export/nodes_Organisation",
    "Unit": "export/nodes_Unit",
    "Group": "export/nodes_Group",
    "Message": "export/nodes_Message",
    "Category": "export/nodes_Category",
    "Investigation": "export/nodes_Investigation",
    "Finding": "export/nodes_Finding",
    "Recommendation": "export/nodes_Recommendation",
    "Document": "export/nodes_Document",
    "Source": "export/nodes_Source",
    "Rejected": "export/nodes_Rejected",
}

#: Relationship type -> query reading its relationships whose one end (the end when that is
#: a Message, the many side, else the start) lies in one window of internal ids.
REL_QUERIES: dict[str, str] = {
    "HAS_ACCOUNT": "export/rels_HAS_ACCOUNT",
    "SERVED_IN": "export/rels_SERVED_IN",
    "PART_OF": "export/rels_PART_OF",
    "MEMBER_OF": "export/rels_MEMBER_OF",
    "SENT": "export/rels_SENT",
    "POSTED_IN": "export/rels_POSTED_IN",
    "REPLY_TO": "export/rels_REPLY_TO",
    "MENTIONS": "export/rels_MENTIONS",
    "REACTED": "export/rels_REACTED",
    "FLAGGED_AS": "export/rels_FLAGGED_AS",
    "EXPOSED_TO": "export/rels_EXPOSED_TO",
    "CONDUCTED": "export/rels_CONDUCTED",
    "EXAMINED": "export/rels_EXAMINED",
    "FOUND": "export/rels_FOUND",
    "CONCERNS": "export/rels_CONCERNS",
    "CITES": "export/rels_CITES",
    "ABOUT": "export/rels_ABOUT",
    "MADE": "export/rels_MADE",
    "ADDRESSED_TO": "export/rels_ADDRESSED_TO",
    "ADDRESSES": "export/rels_ADDRESSES",
    "RESPONDED": "export/rels_RESPONDED",
    "REPORTS_ON": "export/rels_REPORTS_ON",
    "QUOTES": "export/rels_QUOTES",
    "REJECTED_FROM": "export/rels_REJECTED_FROM",
}
