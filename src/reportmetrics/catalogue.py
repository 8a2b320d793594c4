"""The indicator catalogue, version 1: the ids that are the output contract, in order.

Packs may define more indicators; these ids must keep their meaning. `score` ignores ids
outside this list, `--wide` orders its columns by it, and `packs check` verifies that a
pack defining one of these ids gives it the catalogue's unit.
"""

from __future__ import annotations

VERSION = 1

CATALOGUE: dict[str, str] = {
    "reconsideration.applications_received": "count",
    "reconsideration.cases_accepted": "count",
    "reconsideration.cases_concluded": "count",
    "reconsideration.upheld": "count",
    "reconsideration.rejected": "count",
    "reconsideration.not_accepted": "count",
    "reconsideration.corrected": "count",
    "reconsideration.revoked": "count",
    "reconsideration.terminated": "count",
    "reconsideration.correction_rate": "percent",
    "reconsideration.direct_correction_rate": "percent",
    "reconsideration.comprehensive_correction_rate": "percent",
    "litigation.cases": "count",
    "litigation.first_instance_cases": "count",
    "litigation.hearings": "count",
    "litigation.lost": "count",
    "litigation.loss_rate": "percent",
    "litigation.head_appearances": "count",
    "litigation.head_appearance_rate": "percent",
    "disclosure.requests_received": "count",
    "disclosure.requests_answered": "count",
    "disclosure.response_rate": "percent",
    "disclosure.proactive_items": "count",
    "enforcement.cases_filed": "count",
    "enforcement.cases_closed": "count",
    "enforcement.officers": "count",
    "enforcement.files_reviewed": "count",
    "normative_documents.reviewed": "count",
    "normative_documents.filed": "count",
    "normative_documents.issued": "count",
    "normative_documents.repealed": "count",
    "normative_documents.filing_rate": "percent",
    "petitions.received": "count",
    "petitions.resolution_rate": "percent",
    "mediation.disputes_mediated": "count",
    "mediation.successes": "count",
    "mediation.success_rate": "percent",
    "legal_services.legal_aid_cases": "count",
    "legal_services.legal_advisors": "count",
    "legal_services.public_lawyers": "count",
    "oversight.npc_suggestions": "count",
    "oversight.cppcc_proposals": "count",
    "decisions.major_decisions": "count",
}


def family(indicator: str) -> str:
    """The pack an id belongs to: the part before the dot."""
    return indicator.partition(".")[0]
