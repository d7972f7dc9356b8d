from celery import shared_task

from mostaql.saved import alerts, matching


@shared_task(acks_late=True)
def match_new_items(list_name: str, ids: list[int]) -> int:
    """Match newly published items once, then send the instant alerts they made; safe to run twice."""
    run = matching.match_new_items(list_name=list_name, ids=ids)
    if run.user_ids:
        alerts.send_instant_alerts(user_ids=run.user_ids)
    return run.matches


@shared_task
def sweep_saved_searches() -> dict:
    """What a lost task left (published but never matched, unsent instant alerts), and the daily
    digests, each once."""
    return alerts.sweep()
