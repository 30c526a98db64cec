"""RGPD: a person's diagnostics in their export; on erasure they become anonymous
(they still count in the anonymous aggregates, nothing links them to the person)."""


def export(user):

    return [
        {
            "id": r.pk,
            "version": r.questionnaire.version,
            "association": r.organisation.name if r.organisation_id else None,
            "commence_le": r.created_at,
            "termine_le": r.completed_at,
            "score_global": r.overall_score,
            "scores_par_axe": dict(r.axis_scores.values_list("axis_key", "score")),
        }
        for r in user.diagnostic_responses.select_related("questionnaire", "organisation")
    ]


def erase(user):
    user.diagnostic_responses.update(user=None)
